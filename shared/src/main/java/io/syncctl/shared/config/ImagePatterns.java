package io.syncctl.shared.config;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code SYNCCTL_ALLOWED_IMAGES}: comma-separated glob patterns on the image repository (the
 * {@code package} parameter, without tag), e.g. {@code airbyte/*,registry.example.com/team/*}.
 * {@code *} matches any run of characters except {@code /} (so {@code airbyte/*} does not admit
 * {@code airbyte/x/y}), {@code **} any run including {@code /}, {@code ?} one character except
 * {@code /}. No patterns ({@link #ANY}) admits every image.
 */
public record ImagePatterns(List<String> patterns, List<Pattern> compiled) {
    public static final ImagePatterns ANY = new ImagePatterns(List.of(), List.of());

    public static ImagePatterns parse(String v) {
        List<String> patterns = Arrays.stream(v.split(",", -1)).map(String::trim).toList();
        if (patterns.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("has an empty pattern (comma-separated globs such as airbyte/*,jitsucom/*)");
        }
        return new ImagePatterns(patterns, patterns.stream().map(ImagePatterns::compile).toList());
    }

    /** True when every image is allowed (the setting is unset). */
    public boolean any() {
        return patterns.isEmpty();
    }

    public boolean allows(String repository) {
        return any() || compiled.stream().anyMatch(p -> p.matcher(repository).matches());
    }

    static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
