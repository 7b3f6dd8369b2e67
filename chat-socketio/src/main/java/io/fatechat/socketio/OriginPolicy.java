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

    /**
     * Whether a request with header {@code origin} (may be null) may connect, the request being
     * {@code scheme://serverName:serverPort} as the container resolved it ({@code getScheme()},
     * {@code getServerName()}, {@code getServerPort()}; null/-1 when unknown, which allows no same-origin match).
     *
     * <p>Same origin means equal scheme, host and port, so an {@code http://} page cannot open a session of an
     * {@code https://} endpoint (nor the reverse) and another port is another origin. The container derives the
     * server name from the {@code Host} header (or from its proxy settings, e.g. Tomcat's {@code RemoteIpValve},
     * Jetty's {@code ForwardedRequestCustomizer}), which a browser sets to the address it connects to: a page of
     * another site cannot pass. A page served through DNS rebinding under another name can, but carries no token
     * of this server's users (tokens travel in the CONNECT payload, not in cookies), so it gains nothing a
     * non-browser client could not do. Deployments that want no doubt list their origins ({@code allowedOrigins}).
     */
    boolean allows(String origin, String scheme, String serverName, int serverPort) {
        if (origin == null || anyOrigin) {
            return true;
        }
        String n = normalize(origin);
        if (n == null) {
            return false;
        }
        if (allowedOrigins.contains(n)) {
            return true;
        }
        if (scheme == null || serverName == null || serverName.isBlank() || serverPort <= 0) {
            return false;
        }
        String host = serverName.trim();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]"; // an IPv6 literal
        }
        String self = normalize(scheme + "://" + host + ":" + serverPort);
        return n.equals(self);
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }
}
