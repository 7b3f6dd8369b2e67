package io.fatechat.socketio;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
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
        Set<String> normalized = new HashSet<>();
        for (String o : allowedOrigins) {
            String n = normalize(o);
            normalized.add(n != null ? n : o);
        }
        this.allowedOrigins = Set.copyOf(normalized);
        this.anyOrigin = allowedOrigins.contains(EngineIoConfig.ANY_ORIGIN);
    }

    /**
     * {@code scheme://host:port} in lower case with the scheme's default port spelled out, so an allowlist entry
     * matches exactly on scheme, host and port however either side writes it; null when not such an origin.
     */
    static String normalize(String origin) {
        try {
            URI uri = new URI(origin.trim().toLowerCase(Locale.ROOT));
            if (uri.getScheme() == null
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return null;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme());
            return uri.getScheme() + "://" + uri.getHost() + ":" + port;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Whether a request with header {@code origin} (may be null) and {@code host} may connect. */
    boolean allows(String origin, String host) {
        if (origin == null || anyOrigin) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        String n = normalize(o);
        if (n != null && allowedOrigins.contains(n)) {
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
