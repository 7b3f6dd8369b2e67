package io.fatechat.socketio;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

/** Notices a waiting poll that timed out or whose client went away. */
final class PollListener implements AsyncListener {

    private final PollingTransport connection;

    PollListener(PollingTransport connection) {
        this.connection = connection;
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        connection.onPollAborted(event.getAsyncContext(), true);
    }

    @Override
    public void onError(AsyncEvent event) {
        connection.onPollAborted(event.getAsyncContext(), false);
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onStartAsync(AsyncEvent event) {}
}
