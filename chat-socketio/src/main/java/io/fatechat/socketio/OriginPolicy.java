package io.fatechat.socketio;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may open an Engine.IO session: requests without {@code Origin} (non-browser clients)
 * pass; browsers need an origin of the allowlist, or the same origin as the request when the list is empty.
 */
final class OriginPolicy {

    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;

    /** @param allowedOrigins lower-case {@code scheme://host[:port]} entries, or {@code *} for every origin */
    OriginPolicy(Set<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.anyOrigin = allowedOrigins.contains(EngineIoConfig.ANY_ORIGIN);
    }

    /** Whether a request with header {@code origin} (may be null) and {@code host} may connect. */
    boolean allows(String origin, String host) {
        if (origin == null || anyOrigin) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(o)) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI uri = new URI(o);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme());
            String h = host.trim().toLowerCase(Locale.ROOT);
            String hostName = h;
            int hostPort = -1;
            int colon = h.lastIndexOf(':');
            if (colon > 0 && h.indexOf(']') < colon) {
                hostName = h.substring(0, colon);
                try {
                    hostPort = Integer.parseInt(h.substring(colon + 1));
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            if (hostPort == -1) {
                hostPort = defaultPort(uri.getScheme());
            }
            return uri.getHost().equals(hostName) && port == hostPort;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }
}
