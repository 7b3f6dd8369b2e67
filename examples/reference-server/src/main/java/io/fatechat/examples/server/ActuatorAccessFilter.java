package io.fatechat.examples.server;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Principal;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Actuator endpoints for local callers only. A caller on a loopback address, not relayed by a proxy, counts as the
 * operator: it gets every exposed endpoint, and health with details ({@code show-details: when-authorized}). Anyone
 * else may ask {@code /actuator/health} for the bare status; every other actuator path answers 404.
 */
final class ActuatorAccessFilter extends OncePerRequestFilter {

    private static final Principal LOCAL_OPERATOR = () -> "local-operator";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isLocal(request)) {
            chain.doFilter(
                    new HttpServletRequestWrapper(request) {
                        @Override
                        public Principal getUserPrincipal() {
                            return LOCAL_OPERATOR;
                        }

                        @Override
                        public boolean isUserInRole(String role) {
                            return true;
                        }
                    },
                    response);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/actuator/health") && request.getMethod().equals("GET")) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = JsonErrorBody.bytes(404);
        response.setStatus(404);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** On a loopback address and not forwarded: a proxy on the same host must not make every client local. */
    static boolean isLocal(HttpServletRequest request) {
        if (request.getHeader("X-Forwarded-For") != null
                || request.getHeader("Forwarded") != null
                || request.getHeader("X-Real-IP") != null) {
            return false;
        }
        try {
            // the remote address is a literal: no name look-up happens here
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
