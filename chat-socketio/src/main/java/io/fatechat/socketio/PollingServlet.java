package io.fatechat.socketio;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The HTTP long-polling transport: an async servlet that hands every request to the Engine.IO core. */
final class PollingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient EngineIoCore core;

    PollingServlet(EngineIoCore core) {
        this.core = core;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        core.service(req, resp);
    }
}
