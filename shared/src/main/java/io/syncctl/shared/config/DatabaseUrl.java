package io.syncctl.shared.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A libpq-style connection URL ({@code postgresql://user:pass@host:5432/db?sslmode=..&search_path=..})
 * turned into what JDBC needs. Operators already have such URLs for every other Postgres client,
 * so we accept them as they are instead of asking for a JDBC URL.
 *
 * @param host     host name or IP; IPv6 literals keep their brackets
 * @param port     TCP port (5432 when the URL names none)
 * @param database database name
 * @param user     user name, or null
 * @param password password (URL-decoded), or null
 * @param schema   the first entry of {@code search_path}; result tables live there
 * @param params   the remaining query parameters, passed to the driver as they are
 */
public record DatabaseUrl(String host, int port, String database, String user, String password,
                          String schema, Map<String, String> params) {

    public static final String DEFAULT_SCHEMA = "public";
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");

    private static final Pattern URL = Pattern.compile(
            "^(?:postgresql|postgres)://(?:(?<userinfo>[^@/]*)@)?(?<host>\\[[0-9A-Fa-f:.%]+\\]|[^:/?#\\[\\]]+)?"
                    + "(?::(?<port>[0-9]+))?(?:/(?<db>[^?#]*))?(?:\\?(?<query>[^#]*))?$");

    /** Parses the URL, or throws an {@link IllegalArgumentException} whose message never contains the password. */
    public static DatabaseUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        Matcher m = URL.matcher(url.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("must look like postgresql://user:password@host:5432/database");
        }
        String host = m.group("host");
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("has no host");
        }
        int port = 5432;
        if (m.group("port") != null) {
            port = Integer.parseInt(m.group("port"));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("has port out of range 1-65535");
            }
        }
        String database = decode(m.group("db") == null ? "" : m.group("db"), "database");
        if (database.isEmpty()) {
            throw new IllegalArgumentException("has no database name");
        }
        String user = null;
        String password = null;
        String userinfo = m.group("userinfo");
        if (userinfo != null && !userinfo.isEmpty()) {
            int colon = userinfo.indexOf(':');
            user = decode(colon < 0 ? userinfo : userinfo.substring(0, colon), "user");
            password = colon < 0 ? null : decode(userinfo.substring(colon + 1), "password");
        }
        Map<String, String> params = new LinkedHashMap<>();
        String schema = DEFAULT_SCHEMA;
        if (m.group("query") != null && !m.group("query").isEmpty()) {
            for (String pair : m.group("query").split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq), "parameter name");
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), "parameter " + key);
                if (key.equals("search_path")) {
                    schema = firstSchema(value);
                } else {
                    params.put(key, value);
                }
            }
        }
        return new DatabaseUrl(host, port, database, user, password, schema, Map.copyOf(params));
    }

    /** The JDBC URL: credentials are not in it (they go to the pool separately); the schema is. */
    public String jdbcUrl() {
        return jdbcUrl(null);
    }

    /**
     * The JDBC URL with {@code search_path = <schema>, <internalSchema>}: unqualified names of the
     * result tables resolve to the result schema, {@code syncctl_task} (which is not there) to the
     * internal schema. pgjdbc sends {@code currentSchema} as the session's {@code search_path}, so it
     * takes a list and leaves the {@code options} property (plan_cache_mode) free.
     *
     * @param internalSchema our own schema, or null for the result schema alone
     */
    public String jdbcUrl(String internalSchema) {
        String searchPath = identifier(schema);
        if (internalSchema != null && !internalSchema.equals(schema)) {
            searchPath += "," + identifier(internalSchema);
        }
        StringBuilder sb = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port)
                .append('/').append(encode(database));
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("currentSchema", searchPath);
        all.putIfAbsent("ApplicationName", "syncctl");
        char sep = '?';
        for (Map.Entry<String, String> e : all.entrySet()) {
            sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return sb.toString();
    }

    public Optional<String> sslMode() {
        return Optional.ofNullable(params.get("sslmode"));
    }

    /** Safe to log: the password is replaced. */
    @Override
    public String toString() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
                + host + ":" + port + "/" + database + " (schema " + schema + ")";
    }

    /** A schema name as search_path needs it: plain lower-case names as they are, others double-quoted. */
    public static String identifier(String name) {
        return PLAIN_IDENTIFIER.matcher(name).matches() ? name : '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String firstSchema(String searchPath) {
        for (String part : searchPath.split(",")) {
            String s = part.trim();
            if (s.startsWith("\"") && s.endsWith("\"") && s.length() > 1) {
                s = s.substring(1, s.length() - 1);
            }
            if (!s.isEmpty() && !s.equals("$user")) {
                return s;
            }
        }
        return DEFAULT_SCHEMA;
    }

    private static String decode(String s, String what) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("has a malformed %-escape in the " + what);
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
