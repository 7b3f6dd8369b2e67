package io.fatechat.socketio;

import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client address of a request, for logs and the per-address session cap: the direct peer, unless the peer is a
 * configured trusted proxy; then the right-most {@code X-Forwarded-For} hop that is not a trusted proxy. Hops left
 * of it are whatever the client wrote and are never believed (so a client cannot pick its address, e.g. to escape
 * the cap). A hop that is not an IP literal ends the walk at the last trusted address. Never resolves names.
 * Public so that the REST API of the same server counts and logs the same address.
 */
public final class ClientAddressResolver {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV4_WITH_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3}):\\d{1,5}");
    private static final Pattern IPV6_BRACKETED_WITH_PORT = Pattern.compile("\\[([0-9a-fA-F:.]+)](?::\\d{1,5})?");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    /** An address block: an address and how many leading bits of it must match. */
    record Range(byte[] network, int prefix) {
        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int bits = prefix;
            for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((a[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> trusted;

    private ClientAddressResolver(List<Range> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** @param trustedProxies addresses or CIDR blocks, e.g. {@code 10.0.0.0/8}, {@code ::1} */
    public static ClientAddressResolver of(Collection<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String spec : trustedProxies) {
            ranges.add(parseRange(spec));
        }
        return new ClientAddressResolver(ranges);
    }

    /**
     * An address ({@code 192.0.2.1}, {@code ::1}) or CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}).
     *
     * @throws IllegalArgumentException naming the bad value
     */
    static Range parseRange(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("trusted proxy must not be blank, got '" + spec + "'");
        }
        String s = spec.trim();
        int slash = s.indexOf('/');
        InetAddress address = literal(slash < 0 ? s : s.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException(
                    "trusted proxy must be an IP address or CIDR block (e.g. 10.0.0.0/8), got '" + spec + "'");
        }
        int max = address.getAddress().length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(
                        "trusted proxy prefix length must be between 0 and " + max + ", got '" + spec + "'");
            }
        }
        return new Range(address.getAddress(), prefix);
    }

    /** The client address of {@code request}. */
    public String resolve(HttpServletRequest request) {
        return resolve(request.getRemoteAddr(), request.getHeaders("X-Forwarded-For"));
    }

    /** The client address of a request whose direct peer is {@code peer} (an IP literal). */
    String resolve(String peer, Enumeration<String> forwardedFor) {
        if (trusted.isEmpty() || forwardedFor == null || !trusted(literal(peer))) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        while (forwardedFor.hasMoreElements()) {
            for (String hop : forwardedFor.nextElement().split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = hopAddress(hops.get(i));
            if (hop == null) {
                return client;
            }
            client = hop.getHostAddress();
            if (!trusted(hop)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusted(InetAddress address) {
        if (address == null) {
            return false;
        }
        for (Range r : trusted) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** A hop of {@code X-Forwarded-For}: an address, possibly with a port ({@code 192.0.2.1:4711}, {@code [::1]:80}). */
    private static InetAddress hopAddress(String hop) {
        var v4 = IPV4_WITH_PORT.matcher(hop);
        if (v4.matches()) {
            return literal(v4.group(1));
        }
        var v6 = IPV6_BRACKETED_WITH_PORT.matcher(hop);
        if (v6.matches()) {
            return literal(v6.group(1));
        }
        return literal(hop);
    }

    /** The address an IP literal names; null for anything else (host names are never looked up). */
    static InetAddress literal(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean v4 = IPV4.matcher(s).matches();
        if (v4) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null;
                }
            }
        } else if (!IPV6.matcher(s).matches()) {
            return null;
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            return v4 && !(a instanceof Inet4Address) ? null : a;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
