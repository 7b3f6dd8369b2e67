package io.fatechat.ws;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may call the REST API: the server's own origin, the exact origins (scheme, host and port) of
 * the allowlist, or all with {@value ChatRestConfig#ANY_ORIGIN}.
 */
final class AllowedOrigins {

    private final Set<String> allowed;
    private final boolean any;

    AllowedOrigins(Set<String> allowed) {
        this.allowed = allowed;
        this.any = allowed.contains(ChatRestConfig.ANY_ORIGIN);
    }

    /** Whether a request carrying {@code origin} (not null) may be served. */
    boolean allows(String origin, HttpServletRequest request) {
        if (any) {
            return true;
        }
        String normalized = normalize(origin);
        if (normalized == null) {
            return false;
        }
        // Same origin: what the browser connected to. A cross-site page cannot make its browser send our Host.
        String host = request.getHeader("Host");
        if (host != null && normalized.equals(normalize(request.getScheme() + "://" + host.strip()))) {
            return true;
        }
        for (String entry : allowed) {
            if (normalized.equals(normalize(entry))) {
                return true;
            }
        }
        return false;
    }

    /** {@code scheme://host[:port]} in lower case without a default port, or null when not an origin. */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin.strip());
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null
                    || host == null
                    || uri.getRawUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort =
                    port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
