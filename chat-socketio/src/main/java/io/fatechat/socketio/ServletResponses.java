package io.fatechat.socketio;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the polling transport answers: whole bodies, written without blocking once a request went async. */
final class ServletResponses {

    private static final Logger log = LoggerFactory.getLogger(ServletResponses.class);
    static final String TEXT = "text/plain; charset=UTF-8";
    private static final String JSON = "application/json";

    private ServletResponses() {}

    /** Writes a whole response without blocking, then completes {@code ac}. */
    static void writeAsync(AsyncContext ac, int status, String contentType, byte[] body) {
        try {
            HttpServletResponse r = (HttpServletResponse) ac.getResponse();
            r.setStatus(status);
            r.setContentType(contentType);
            r.setContentLength(body.length);
            ServletOutputStream out = r.getOutputStream();
            out.setWriteListener(new WriteListener() {
                private boolean written;

                @Override
                public void onWritePossible() throws IOException {
                    if (!written) {
                        written = true;
                        out.write(body);
                    }
                    if (out.isReady()) {
                        ac.complete();
                    }
                }

                @Override
                public void onError(Throwable t) {
                    completeQuietly(ac);
                }
            });
        } catch (IOException | RuntimeException e) {
            log.debug("Could not answer a polling request", e);
            completeQuietly(ac);
        }
    }

    /** A 200 text body, e.g. a polling payload. */
    static void writeText(AsyncContext ac, byte[] body) {
        writeAsync(ac, 200, TEXT, body);
    }

    /** An Engine.IO error on a request that went async. */
    static void writeAsync(AsyncContext ac, EngineError error) {
        writeAsync(ac, error.status(), JSON, error.body());
    }

    static void completeQuietly(AsyncContext ac) {
        try {
            ac.complete();
        } catch (RuntimeException ignored) {
            // already completed
        }
    }

    /** A short JSON error in the Node.js server's format, written on the request thread (a few bytes). */
    static void writeError(HttpServletResponse resp, EngineError error) throws IOException {
        byte[] body = error.body();
        resp.setStatus(error.status());
        resp.setContentType(JSON);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
