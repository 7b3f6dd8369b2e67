package io.fatechat.socketio;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Reads a polling POST body without blocking, refusing more than maxPayload bytes. */
final class PostBodyReader implements ReadListener {

    private final PollingTransport connection;
    private final AsyncContext async;
    private final int maxPayload;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    private final byte[] buffer = new byte[8192];
    private ServletInputStream in;
    private boolean done;

    PostBodyReader(PollingTransport connection, AsyncContext async, int maxPayload) {
        this.connection = connection;
        this.async = async;
        this.maxPayload = maxPayload;
    }

    void start() throws IOException {
        in = async.getRequest().getInputStream();
        in.setReadListener(this);
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!done && in.isReady()) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            if (body.size() + n > maxPayload) {
                done = true;
                connection.payloadTooLarge((HttpServletResponse) async.getResponse());
                async.complete();
                return;
            }
            body.write(buffer, 0, n);
        }
    }

    @Override
    public void onAllDataRead() {
        if (!done) {
            done = true;
            connection.onPostBody(async, body.toByteArray());
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!done) {
            done = true;
            connection.onPostFailed(async);
        }
    }
}
