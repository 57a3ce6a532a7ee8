package io.syncctl.shared.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseUrlTest {

    @Test
    void fullUrlHonoursUserPasswordSslModeAndSearchPath() {
        DatabaseUrl db = DatabaseUrl.parse("postgresql://sync:s3cret@db.example.com:6543/jitsu?sslmode=require&search_path=bulker");
        assertEquals("db.example.com", db.host());
        assertEquals(6543, db.port());
        assertEquals("jitsu", db.database());
        assertEquals("sync", db.user());
        assertEquals("s3cret", db.password());
        assertEquals("bulker", db.schema());
        assertEquals("require", db.sslMode().orElseThrow());
        assertEquals("jdbc:postgresql://db.example.com:6543/jitsu?sslmode=require&currentSchema=bulker&ApplicationName=syncctl",
                db.jdbcUrl());
    }

    @Test
    void postgresSchemeDefaultsAndNoPassword() {
        DatabaseUrl db = DatabaseUrl.parse("postgres://admin@localhost/app");
        assertEquals(5432, db.port());
        assertEquals("admin", db.user());
        assertNull(db.password());
        assertEquals("public", db.schema());
        assertTrue(db.sslMode().isEmpty());
    }

    @Test
    void urlEncodedPasswordIsDecodedAndPlusStaysPlus() {
        DatabaseUrl db = DatabaseUrl.parse("postgresql://u:p%40ss%3Aw%2Fo+rd@h:5432/d");
        assertEquals("p@ss:w/o+rd", db.password());
    }

    @Test
    void ipv6HostKeepsBrackets() {
        DatabaseUrl db = DatabaseUrl.parse("postgresql://u:p@[::1]:5433/d?search_path=%22My%20Schema%22,public");
        assertEquals("[::1]", db.host());
        assertEquals(5433, db.port());
        assertEquals("My Schema", db.schema());
        assertTrue(db.jdbcUrl().startsWith("jdbc:postgresql://[::1]:5433/d?currentSchema=%22My%20Schema%22"));
    }

    @Test
    void searchPathIsTheResultSchemaThenTheInternalSchema() throws Exception {
        DatabaseUrl db = DatabaseUrl.parse("postgresql://postgres@127.0.0.1:5432/syncctl_shared_test?sslmode=disable&search_path=Odd%20Name");
        String url = db.jdbcUrl("syncctl_x");
        assertTrue(url.contains("currentSchema=%22Odd%20Name%22%2Csyncctl_x"), url);
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "postgres");
        p.setProperty("options", "-c plan_cache_mode=force_generic_plan"); // as the api's pool sets it
        try (var c = java.sql.DriverManager.getConnection(url, p); var st = c.createStatement();
             var rs = st.executeQuery("SELECT current_setting('search_path'), current_setting('plan_cache_mode')")) {
            rs.next();
            assertEquals("\"Odd Name\",syncctl_x", rs.getString(1));
            assertEquals("force_generic_plan", rs.getString(2));
        }
        assertEquals(db.jdbcUrl(), db.jdbcUrl(null));
    }

    @Test
    void noCredentialsAtAll() {
        DatabaseUrl db = DatabaseUrl.parse("postgresql://127.0.0.1:5432/test");
        assertNull(db.user());
        assertNull(db.password());
    }

    @Test
    void malformedUrlsAreRejectedWithoutEchoingThePassword() {
        for (String bad : new String[]{"", "mysql://u:hunter2@h/d", "postgresql://u:hunter2@h:99999/d",
                "postgresql://u:hunter2@h:5432/", "postgresql://u:hunter2@/d", "postgresql://u:hunter2%zz@h/d"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse(bad), bad);
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }

    @Test
    void toStringHidesThePassword() {
        String shown = DatabaseUrl.parse("postgresql://u:hunter2@h/d").toString();
        assertFalse(shown.contains("hunter2"), shown);
        assertTrue(shown.contains("u:***@h:5432/d"), shown);
    }
}
