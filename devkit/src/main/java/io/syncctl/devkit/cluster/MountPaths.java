package io.syncctl.devkit.cluster;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A container's mount paths and the host directories standing in for them. Processes here share
 * the host's file system, so a mount path such as {@code /pipes} cannot exist per container;
 * instead every occurrence of a mount path in the container's command, args, env values and
 * working directory is rewritten to its host directory ({@code /pipes/stdout} →
 * {@code <work-dir>/pods/.../volumes/pipes/stdout}). Paths a program builds at run time from
 * other pieces are not rewritten: a documented limitation of this simulation.
 */
record MountPaths(Map<String, Path> hostPaths, Pattern pattern) {

    /** A path character: a mount path only matches where it is not part of a longer path or name. */
    private static final String PATH_CHAR = "A-Za-z0-9._~/-";

    static MountPaths of(Map<String, Path> hostPaths) {
        List<String> mountPaths = hostPaths.keySet().stream()
                .filter(p -> !p.equals("/"))
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
        if (mountPaths.isEmpty()) {
            return new MountPaths(Map.of(), null);
        }
        String alternatives = mountPaths.stream().map(p -> Pattern.quote(stripTrailingSlash(p))).collect(Collectors.joining("|"));
        Pattern pattern = Pattern.compile("(?<![" + PATH_CHAR + "])(" + alternatives + ")(?=/|$|[^" + PATH_CHAR.replace("/", "") + "])");
        Map<String, Path> normalized = hostPaths.entrySet().stream()
                .filter(e -> !e.getKey().equals("/"))
                .collect(Collectors.toMap(e -> stripTrailingSlash(e.getKey()), Map.Entry::getValue));
        return new MountPaths(Map.copyOf(normalized), pattern);
    }

    String rewrite(String text) {
        if (pattern == null || text == null) {
            return text;
        }
        Matcher matcher = pattern.matcher(text);
        return matcher.replaceAll(m -> Matcher.quoteReplacement(hostPaths.get(m.group(1)).toString()));
    }

    List<String> rewrite(List<String> texts) {
        return texts.stream().map(this::rewrite).toList();
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
