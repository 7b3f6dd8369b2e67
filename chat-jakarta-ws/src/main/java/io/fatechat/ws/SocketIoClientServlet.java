package io.fatechat.ws;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the Socket.IO browser client under the endpoint's path ({@code /socket.io/socket.io.js},
 * {@code socket.io.min.js} and their source maps), as Node's server does with {@code serveClient}, so that a page
 * written for the Node.js server loads its client from this one. The files come from the npm package
 * {@code socket.io-client}, copied into this jar when it is built; nothing is fetched at run time. Exact servlet
 * mappings win over the Socket.IO endpoint's {@code /socket.io/*}, so the two live side by side.
 */
public final class SocketIoClientServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(SocketIoClientServlet.class);

    /** Where the build puts the client files on the class path. */
    public static final String RESOURCE_DIRECTORY = "META-INF/fatechat/socket.io-client/";

    /** The files served, as Node's server names them. */
    public static final List<String> FILES =
            List.of("socket.io.js", "socket.io.js.map", "socket.io.min.js", "socket.io.min.js.map");

    private final transient Map<String, byte[]> files;
    private final String etag;

    private SocketIoClientServlet(Map<String, byte[]> files, String version) {
        this.files = files;
        this.etag = '"' + version + '"';
    }

    /**
     * Maps the client files under {@code socketIoPath} (e.g. {@code /socket.io/}) in {@code context}; logs a
     * warning and maps nothing when this jar was built without them.
     *
     * @return whether the client is served
     */
    public static boolean register(ServletContext context, String socketIoPath) {
        Objects.requireNonNull(context, "context");
        SocketIoClientServlet servlet = load();
        if (servlet == null) {
            return false;
        }
        ServletRegistration.Dynamic registration = context.addServlet("fatechat-socketio-client", servlet);
        if (registration == null) {
            throw new IllegalStateException("a servlet named fatechat-socketio-client is already registered");
        }
        registration.addMapping(mappings(socketIoPath));
        return true;
    }

    /** The exact URL paths of the client files under {@code socketIoPath}. */
    public static String[] mappings(String socketIoPath) {
        String path = Objects.requireNonNull(socketIoPath, "socketIoPath").trim();
        String prefix = (path.startsWith("/") ? "" : "/") + (path.endsWith("/") ? path : path + "/");
        return FILES.stream().map(file -> prefix + file).toArray(String[]::new);
    }

    /** The servlet with the client files read from the class path, or null when the build left them out. */
    public static SocketIoClientServlet load() {
        ClassLoader loader = SocketIoClientServlet.class.getClassLoader();
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String file : FILES) {
            try (InputStream in = loader.getResourceAsStream(RESOURCE_DIRECTORY + file)) {
                if (in == null) {
                    log.warn(
                            "The Socket.IO browser client is not in this build ({}{} missing): not serving it",
                            RESOURCE_DIRECTORY,
                            file);
                    return null;
                }
                files.put(file, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE_DIRECTORY + file, e);
            }
        }
        return new SocketIoClientServlet(files, version(files.get("socket.io.min.js")));
    }

    // the client's banner comment: "/*! * Socket.IO v4.8.1 ..."
    private static String version(byte[] script) {
        String head = new String(script, 0, Math.min(script.length, 200), StandardCharsets.UTF_8);
        int v = head.indexOf("Socket.IO v");
        if (v < 0) {
            return "unknown";
        }
        int end = v + "Socket.IO v".length();
        while (end < head.length()
                && (Character.isLetterOrDigit(head.charAt(end)) || ".-".indexOf(head.charAt(end)) >= 0)) {
            end++;
        }
        return head.substring(v + "Socket.IO v".length(), end);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        String name = uri.substring(uri.lastIndexOf('/') + 1);
        byte[] body = files.get(name);
        if (body == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "public, max-age=0");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(name.endsWith(".map") ? "application/json" : "application/javascript");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
