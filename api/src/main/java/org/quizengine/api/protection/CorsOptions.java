package org.quizengine.api.protection;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Which browser origins may call the API from another site. Empty (the default) sends no CORS
 * headers at all, so browsers refuse cross-origin calls; non-browser clients are not affected.
 *
 * @param origins          exact origins, {@code scheme://host[:port]} without a path, or the single
 *                         entry {@code *} for any origin
 * @param allowCredentials whether browsers may send cookies with cross-origin calls; never with {@code *}
 */
public record CorsOptions(List<String> origins, boolean allowCredentials) {
    public static final String ANY_ORIGIN = "*";

    public CorsOptions {
        origins = List.copyOf(Objects.requireNonNull(origins, "origins"));
        if (origins.contains(ANY_ORIGIN) && origins.size() > 1) {
            throw new IllegalArgumentException("'*' allows every origin and cannot be combined with a list of origins");
        }
        if (origins.contains(ANY_ORIGIN) && allowCredentials) {
            throw new IllegalArgumentException("'*' cannot be used when credentials are allowed; list the origins");
        }
        origins.stream().filter(origin -> !ANY_ORIGIN.equals(origin)).forEach(CorsOptions::requireOrigin);
    }

    /** No cross-origin access. */
    public static CorsOptions none() {
        return new CorsOptions(List.of(), false);
    }

    /** Parses a comma separated list such as {@code https://quiz.example.com, http://localhost:5173}. */
    public static CorsOptions parse(String commaSeparated, boolean allowCredentials) {
        List<String> origins = new ArrayList<>();
        if (commaSeparated != null) {
            for (String part : commaSeparated.split(",")) {
                String origin = part.trim();
                if (!origin.isEmpty()) {
                    origins.add(ANY_ORIGIN.equals(origin) ? origin : normalise(origin));
                }
            }
        }
        return new CorsOptions(origins, allowCredentials);
    }

    /** Whether a browser's {@code Origin} header names an allowed origin. */
    public boolean allows(String origin) {
        if (origin == null || origins.isEmpty()) {
            return false;
        }
        return origins.contains(ANY_ORIGIN) || origins.contains(origin.toLowerCase(Locale.ROOT));
    }

    public boolean enabled() {
        return !origins.isEmpty();
    }

    // Browsers send the origin's scheme and host in lower case, and no default port.
    private static String normalise(String origin) {
        requireOrigin(origin);
        return origin.toLowerCase(Locale.ROOT);
    }

    private static void requireOrigin(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + origin + "' is not an origin (scheme://host[:port])");
        }
        String scheme = uri.getScheme();
        boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
        boolean bare = uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
            && uri.getRawQuery() == null && uri.getRawFragment() == null;
        if (!web || uri.getHost() == null || !bare || origin.contains("*") || origin.endsWith("/")) {
            throw new IllegalArgumentException("'" + origin + "' is not an origin: use scheme://host[:port], "
                + "http or https, no path, no wildcard");
        }
    }
}
