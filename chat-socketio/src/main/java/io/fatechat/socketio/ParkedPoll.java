package io.fatechat.socketio;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GET poll parked until there is something to send, which notices when its client went away.
 *
 * <p>Neither Tomcat nor Jetty reads from an HTTP/1.1 connection whose request went async, so a client that
 * vanishes (killed process, closed socket) while its poll is parked is never reported: no {@code AsyncListener}
 * or {@code ReadListener} callback comes, on either container (checked on Tomcat 11 and Jetty 12.1; a
 * {@code ReadListener} on the body-less GET only reports {@code onAllDataRead}). Only a write fails. So while
 * the poll waits, {@link #probe()} streams a noop packet into its body (Engine.IO payloads may carry noops; every
 * client skips them): the first write to a closed peer is answered by a TCP reset, the next one fails, and the
 * session is closed at once, as the Node.js server closes it when its socket closes. The answer, when it comes,
 * is appended after the noops ({@code 6␞6␞…␞payload}).
 *
 * <p>All writes are non-blocking; whichever thread finds the stream ready writes, the container's
 * {@link #onWritePossible()} resumes after a write that was not ready. Never holds its lock while calling the
 * container.
 */
final class ParkedPoll implements WriteListener {

    private static final Logger log = LoggerFactory.getLogger(ParkedPoll.class);
    private static final byte[] FIRST_PROBE = {(byte) EnginePacketType.NOOP.code()};
    private static final byte[] NEXT_PROBE = {(byte) EngineParser.SEPARATOR, (byte) EnginePacketType.NOOP.code()};

    final AsyncContext ac;
    private final Runnable onClientGone;

    // guarded by this
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>(2);
    private boolean streaming;
    private boolean writing;
    private boolean answered;
    private boolean completeWhenWritten;
    private boolean done;
    private boolean failed;
    private ServletOutputStream out;

    /** @param onClientGone runs once when a write of this poll fails */
    ParkedPoll(AsyncContext ac, Runnable onClientGone) {
        this.ac = ac;
        this.onClientGone = onClientGone;
    }

    /** Streams a noop packet; false when the poll was answered (no further probes). */
    boolean probe() {
        boolean start = false;
        boolean drain = false;
        synchronized (this) {
            if (answered) {
                return false;
            }
            if (!streaming) {
                streaming = true;
                writing = true;
                start = true;
                chunks.add(FIRST_PROBE);
            } else {
                chunks.add(NEXT_PROBE);
                drain = !writing;
                writing = true;
            }
        }
        if (start) {
            startStreaming();
        } else if (drain) {
            drain();
        }
        return true;
    }

    /** Answers the poll with {@code payload} (after the probes' noops, if any were streamed). */
    void answer(byte[] payload) {
        if (end(payload) == Ending.PLAIN) {
            ServletResponses.writeText(ac, payload);
        }
    }

    /**
     * Answers with an Engine.IO error; a poll that already streamed probes cannot change its status any more and
     * just ends (the client's next request gets the error).
     */
    void answer(EngineError error) {
        if (end(null) == Ending.PLAIN) {
            ServletResponses.writeAsync(ac, error);
        }
    }

    /** How an answer ends the poll: already ended, as a plain response (no probe streamed), or as a stream. */
    private enum Ending {
        ALREADY,
        PLAIN,
        STREAMED
    }

    /**
     * Marks the poll answered; when probes were streamed, queues {@code payload} (null for none) after a separator as
     * the last chunk and drains unless a write is under way, which then completes the response.
     */
    private Ending end(byte[] payload) {
        boolean drain;
        synchronized (this) {
            if (answered) {
                return Ending.ALREADY;
            }
            answered = true;
            if (!streaming) {
                return Ending.PLAIN;
            }
            if (payload != null) {
                byte[] tail = new byte[payload.length + 1];
                tail[0] = (byte) EngineParser.SEPARATOR;
                System.arraycopy(payload, 0, tail, 1, payload.length);
                chunks.add(tail);
            }
            completeWhenWritten = true;
            drain = !writing;
            writing = true;
        }
        if (drain) {
            drain();
        }
        return Ending.STREAMED;
    }

    private void startStreaming() {
        try {
            HttpServletResponse r = (HttpServletResponse) ac.getResponse();
            r.setStatus(200);
            r.setContentType(ServletResponses.TEXT);
            ServletOutputStream stream = r.getOutputStream();
            synchronized (this) {
                out = stream;
            }
            // the container calls onWritePossible, which writes the first probe
            stream.setWriteListener(this);
        } catch (IOException | RuntimeException e) {
            gone(e);
        }
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable t) {
        gone(t);
    }

    /** Writes the queued chunks while the stream is ready; the caller owns {@code writing}. */
    private void drain() {
        ServletOutputStream stream;
        synchronized (this) {
            stream = out;
        }
        try {
            while (true) {
                byte[] chunk;
                boolean complete = false;
                synchronized (this) {
                    if (done) {
                        return;
                    }
                    chunk = chunks.poll();
                    if (chunk == null) {
                        writing = false;
                        if (completeWhenWritten) {
                            done = true;
                            complete = true;
                        }
                    }
                }
                if (chunk == null) {
                    if (complete) {
                        ac.complete();
                    }
                    return;
                }
                stream.write(chunk);
                if (!stream.isReady()) {
                    return;
                }
                stream.flush();
                if (!stream.isReady()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            gone(e);
        }
    }

    private void gone(Throwable cause) {
        synchronized (this) {
            if (failed) {
                return;
            }
            failed = true;
            answered = true;
            done = true;
        }
        log.debug("A parked poll's client went away: {}", cause.toString());
        ServletResponses.completeQuietly(ac);
        onClientGone.run();
    }
}
