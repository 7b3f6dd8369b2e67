package io.fatechat.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fatechat.core.ChatConnection;
import io.fatechat.core.ChatEngine;
import io.fatechat.core.ChatLimits;
import io.fatechat.core.RecoveryOptions;
import io.fatechat.core.memory.InMemoryHistoryStore;
import io.fatechat.spi.ChatMessage;
import io.fatechat.spi.ConversationId;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.parser.Packet;
import io.socket.parser.Parser;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Java client io.socket 2.x has no connection state recovery of its own. With recovery on, it keeps working
 * unchanged (the payload stays the first argument; the offset is an extra last one), and a Java client that puts
 * the pid and offset it saw into its CONNECT auth is recovered like a stock JavaScript client; past the window or
 * the replay maximum it gets a fresh session.
 */
class ChatJavaClientRecoveryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private ChatTestServer server;
    private final List<Socket> sockets = new ArrayList<>();
    /** How far the engine's clock is ahead of the system's: moved on to be past a window without waiting. */
    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);
    /** The server's history, written directly to stand for a persister that lags the bus. */
    private InMemoryHistoryStore history;

    @BeforeEach
    void start() throws Exception {
        start(RecoveryOptions.DEFAULTS.withWindow(Duration.ofHours(1)));
    }

    private void start(RecoveryOptions recovery) throws Exception {
        start(recovery, engine -> {});
    }

    private void start(RecoveryOptions recovery, Consumer<ChatEngine.Builder> more) throws Exception {
        if (server != null) {
            server.close();
        }
        Clock shifted = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.now().plus(ahead.get());
            }
        };
        history = new InMemoryHistoryStore();
        server = ChatTestServer.start(
                config -> {},
                engine -> more.accept(engine.recovery(recovery).clock(shifted).historyStore(history)));
    }

    @AfterEach
    void stop() throws Exception {
        SocketRecovery.afterReplayRead = null;
        sockets.forEach(Socket::disconnect);
        server.close();
    }

    /** A connected client recording the pid of its CONNECT answer and every receiveMessage's arguments. */
    private final class Client {
        final Socket socket;
        final AtomicReference<String> pid = new AtomicReference<>();
        final List<Object[]> messages = new CopyOnWriteArrayList<>();

        Client(Map<String, String> auth) throws Exception {
            IO.Options options = IO.Options.builder()
                    .setForceNew(true)
                    .setReconnection(false)
                    .setTransports(new String[] {"websocket"})
                    .setAuth(auth)
                    .build();
            socket = IO.socket(URI.create(server.url()), options);
            sockets.add(socket);
            socket.io().on(Manager.EVENT_PACKET, args -> {
                Packet<?> packet = (Packet<?>) args[0];
                if (packet.type == Parser.CONNECT && packet.data instanceof JSONObject answer) {
                    pid.set(answer.optString("pid", null));
                }
            });
            socket.on("receiveMessage", messages::add);
            CompletableFuture<Void> connected = new CompletableFuture<>();
            socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
            socket.connect();
            connected.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        JSONObject request(String event, JSONObject payload) throws Exception {
            CompletableFuture<JSONObject> ack = new CompletableFuture<>();
            socket.emit(event, payload, (Ack) replies -> ack.complete((JSONObject) replies[0]));
            JSONObject answer = ack.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(answer.getBoolean("ok")).as("%s acked %s", event, answer).isTrue();
            return answer;
        }

        List<String> texts() {
            return messages.stream()
                    .map(args -> ((JSONObject) args[0]).optString("messageText"))
                    .toList();
        }

        /** The ids of the chat (not event) messages received, in order. */
        List<String> chatIds() {
            return messages.stream()
                    .map(args -> (JSONObject) args[0])
                    .filter(m -> !m.optBoolean("isEvent"))
                    .map(m -> m.optString("id"))
                    .toList();
        }

        /** The greatest id of all messages received, event messages included. */
        String greatestId() {
            return messages.stream()
                    .map(args -> ((JSONObject) args[0]).optString("id"))
                    .max(String::compareTo)
                    .orElseThrow();
        }

        /** The offset as a recovering client keeps it: the last string argument of the last event. */
        String offset() {
            Object[] last = messages.get(messages.size() - 1);
            return (String) last[last.length - 1];
        }

        /** The transport goes away under the client, as on a network drop (no DISCONNECT packet). */
        void drop() throws Exception {
            var field = Manager.class.getDeclaredField("engine");
            field.setAccessible(true);
            ((io.socket.engineio.client.Socket) field.get(socket.io())).close();
        }
    }

    private static JSONObject room(String name) throws Exception {
        return new JSONObject().put("roomName", name);
    }

    private static JSONObject message(String room, String text) throws Exception {
        return new JSONObject().put("roomName", room).put("message", text);
    }

    /**
     * Alice and Bob in a new room; Bob sends "before", which Alice gets; then Alice's transport drops, and she keeps
     * the pid and offset she saw, as a recovering client does.
     */
    private Dropped aliceDropsOut(String name) throws Exception {
        String room = server.createRoom("Java " + name);
        String aliceToken = server.register("alice-" + name + "@example.com");
        Client alice = new Client(Map.of("token", aliceToken));
        Client bob = new Client(Map.of("token", server.register("bob-" + name + "@example.com")));
        alice.request("joinRoom", room(room));
        bob.request("joinRoom", room(room));
        String before = bob.request("sendMessage", message(room, "before")).getString("id");
        await().atMost(TIMEOUT).until(() -> alice.texts().contains("before"));
        Dropped dropped = new Dropped(room, aliceToken, alice, bob, before, alice.pid.get(), alice.offset());
        alice.drop();
        await().atMost(TIMEOUT).until(() -> !alice.socket.connected());
        return dropped;
    }

    private final class Dropped {
        final String room;
        final String aliceToken;
        final Client alice;
        final Client bob;
        final String before;
        final String pid;
        final String offset;

        Dropped(String room, String aliceToken, Client alice, Client bob, String before, String pid, String offset) {
            this.room = room;
            this.aliceToken = aliceToken;
            this.alice = alice;
            this.bob = bob;
            this.before = before;
            this.pid = pid;
            this.offset = offset;
        }

        /** Bob sends {@code text} to the room; its id. */
        String bobSends(String text) throws Exception {
            return bob.request("sendMessage", message(room, text)).getString("id");
        }

        /** Alice connects again with her pid and offset. */
        Client reconnect() throws Exception {
            return new Client(Map.of("token", aliceToken, "pid", pid, "offset", offset));
        }
    }

    @Test
    void anUnchangedJavaClientKeepsWorkingAndSeesTheOffsetOnlyAsAnExtraArgument() throws Exception {
        String room = server.createRoom("Java unchanged");
        Client alice = new Client(Map.of("token", server.register("alice-plain@example.com")));
        alice.request("joinRoom", room(room));

        String id = alice.request("sendMessage", message(room, "hello")).getString("id");

        await().atMost(TIMEOUT).until(() -> alice.texts().contains("hello"));
        Object[] args = alice.messages.stream()
                .filter(a -> ((JSONObject) a[0]).optString("id").equals(id))
                .findFirst()
                .orElseThrow();
        assertThat(((JSONObject) args[0]).getString("messageText")).isEqualTo("hello");
        assertThat(args).hasSize(2);
        assertThat(args[1]).isEqualTo(id);
        assertThat(alice.pid.get()).as("the CONNECT answer carries a pid").isNotBlank();
    }

    @Test
    void aJavaClientSendingItsPidAndOffsetIsRecovered() throws Exception {
        Dropped dropped = aliceDropsOut("rec");
        List<String> missed = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            missed.add(dropped.bobSends("missed " + i));
        }

        Client back = dropped.reconnect();

        assertThat(back.pid.get()).as("recovered: the same pid").isEqualTo(dropped.pid);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(back.chatIds())
                .as(
                        "received %s",
                        back.messages.stream()
                                .map(a -> java.util.Arrays.toString(a))
                                .toList())
                .hasSizeGreaterThanOrEqualTo(3));
        // event messages ("left", "joined") appear too when the drop outlasted the presence grace
        assertThat(back.chatIds()).containsExactlyElementsOf(missed);
        String after = dropped.bobSends("after");
        await().atMost(TIMEOUT).until(() -> back.texts().contains("after"));
        assertThat(back.chatIds()).endsWith(after).doesNotHaveDuplicates();
    }

    @Test
    void aMessagePublishedBetweenTheReplayReadAndGoingLiveIsSentOnceInOrder() throws Exception {
        Dropped dropped = aliceDropsOut("race");
        String room = dropped.room;
        String missed = dropped.bobSends("missed");

        // exactly between the replay's read and the socket going live, bob sends once more. The hook runs on a
        // server worker, so it sends through an engine connection of bob's and waits for the engine's ack (the
        // message is committed and handed to every local socket), never for a client round trip through workers.
        ChatConnection bobOnEngine = server.engine().connect("bob-race@example.com");
        bobOnEngine.joinRoom(room);
        AtomicReference<String> racing = new AtomicReference<>();
        SocketRecovery.afterReplayRead = () -> {
            SocketRecovery.afterReplayRead = null;
            try {
                racing.set(bobOnEngine
                        .sendMessage(room, "racing", null)
                        .toCompletableFuture()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .id());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        // the server answers CONNECT before it opens the session, so the hook stays set until it ran (or the test
        // ends): clearing it as soon as the client is connected raced the server worker that reads it
        Client back = dropped.reconnect();

        assertThat(back.pid.get()).as("recovered: the same pid").isEqualTo(dropped.pid);
        await().atMost(TIMEOUT).until(() -> racing.get() != null);
        String after = dropped.bobSends("after");
        await().atMost(TIMEOUT).until(() -> back.texts().contains("after"));
        assertThat(back.chatIds()).as("every message once, in order").containsExactly(missed, racing.get(), after);
    }

    /**
     * This node's bus consumer lagging behind history (the client was on another node of a Kafka pair): the message
     * at the client's offset and a replayed one reach this node live only while, and after, the client recovers
     * here. The client had them already and gets neither again.
     */
    @Test
    void lateLiveEventsOfMessagesTheClientAlreadyHadAreNotSentAgain() throws Exception {
        Dropped dropped = aliceDropsOut("lag");
        String before = dropped.before;
        String missed = dropped.bobSends("missed");
        ChatConnection bobOnEngine = server.engine().connect("bob-lag@example.com");
        Map<String, ChatMessage> byId = new java.util.HashMap<>();
        bobOnEngine.recentMessages(dropped.room, 10).forEach(m -> byId.put(m.id(), m));
        ChatSocketIoBinding sink = server.endpoint().binding();

        AtomicBoolean hookRan = new AtomicBoolean();
        SocketRecovery.afterReplayRead = () -> {
            SocketRecovery.afterReplayRead = null;
            sink.roomMessage(byId.get(before)); // at the offset: held while the replay is sent
            hookRan.set(true);
        };
        Client back = dropped.reconnect();
        await().atMost(TIMEOUT).untilTrue(hookRan);
        await().atMost(TIMEOUT).until(() -> back.chatIds().contains(missed));
        sink.roomMessage(byId.get(before)); // after going live
        sink.roomMessage(byId.get(missed));
        String after = dropped.bobSends("after");
        await().atMost(TIMEOUT).until(() -> back.texts().contains("after"));

        assertThat(back.pid.get()).as("recovered: the same pid").isEqualTo(dropped.pid);
        assertThat(back.chatIds()).as("every message once, in order").containsExactly(missed, after);
        assertThat(dropped.alice.chatIds()).as("before the drop").containsExactly(before);
    }

    /**
     * A message that is older than the replay's last one but reaches history and this node only after the replay
     * was read (a slower partition): it is sent, but the client's offset stays at the greatest id it was sent, held
     * or live. A second drop and recovery from that offset then repeats nothing and misses nothing.
     */
    @Test
    void aLateMessageOlderThanTheReplayDoesNotMoveTheOffsetBack() throws Exception {
        Dropped dropped = aliceDropsOut("offset");
        String missed1 = dropped.bobSends("missed 1");
        ahead.set(Duration.ofMinutes(2)); // the replay's end lies well after the late messages' ids
        String missed2 = dropped.bobSends("missed 2");
        ChatMessage heldLate = late(dropped.room, "held late", missed2, 60);
        ChatMessage liveLate = late(dropped.room, "live late", missed2, 30);
        ChatSocketIoBinding sink = server.endpoint().binding();
        AtomicBoolean hookRan = new AtomicBoolean();
        SocketRecovery.afterReplayRead = () -> {
            SocketRecovery.afterReplayRead = null;
            history.append(List.of(heldLate)); // persisted after the replay's read...
            sink.roomMessage(heldLate); // ...and delivered while the socket is still held
            hookRan.set(true);
        };

        Client first = dropped.reconnect();
        await().atMost(TIMEOUT).untilTrue(hookRan);
        await().atMost(TIMEOUT).until(() -> first.chatIds().contains(heldLate.id()));
        history.append(List.of(liveLate)); // the same once the socket is live
        sink.roomMessage(liveLate);
        await().atMost(TIMEOUT).until(() -> first.chatIds().contains(liveLate.id()));

        assertThat(first.pid.get()).as("recovered: the same pid").isEqualTo(dropped.pid);
        assertThat(first.chatIds()).containsExactly(missed1, missed2, heldLate.id(), liveLate.id());
        // event messages ("left", "joined") may come too when the drop outlasted the presence grace
        assertThat(first.offset()).as("the offset never moves back").isEqualTo(first.greatestId());

        String offset = first.offset();
        first.drop();
        await().atMost(TIMEOUT).until(() -> !first.socket.connected());
        String missed3 = dropped.bobSends("missed 3");
        Client second = new Client(Map.of("token", dropped.aliceToken, "pid", dropped.pid, "offset", offset));
        String after = dropped.bobSends("after");
        await().atMost(TIMEOUT).until(() -> second.chatIds().contains(after));

        assertThat(second.pid.get()).as("recovered again").isEqualTo(dropped.pid);
        List<String> all = new ArrayList<>(first.chatIds());
        all.addAll(second.chatIds());
        assertThat(all)
                .as("every message exactly once over both recoveries")
                .containsExactly(missed1, missed2, heldLate.id(), liveLate.id(), missed3, after);
    }

    /** A room message of Bob's whose id is {@code secondsEarlier} before {@code newer}'s, in the same room. */
    private static ChatMessage late(String room, String text, String newer, int secondsEarlier) {
        long millis = Long.parseLong(newer.substring(0, 8) + newer.substring(9, 13), 16) - secondsEarlier * 1000L;
        String hex = String.format(java.util.Locale.ROOT, "%012x", millis);
        String id = hex.substring(0, 8) + "-" + hex.substring(8) + "-7000-8000-000000000001";
        return new ChatMessage(
                id,
                ConversationId.room(room),
                "bob-offset@example.com",
                text,
                false,
                Instant.ofEpochMilli(millis),
                null);
    }

    /**
     * A user in more rooms than its join bucket holds drops and recovers: the server restores every room without
     * counting against the join rate, so the client is online in, and gets the messages of, the last one too.
     */
    @Test
    void aClientInFortyRoomsIsBackInAllOfThemWhateverIsLeftOfItsJoinRate() throws Exception {
        // the 40 joins empty the bucket, which refills at one a second: a recovery that paid per room would fail
        start(
                RecoveryOptions.DEFAULTS.withWindow(Duration.ofHours(1)),
                engine -> engine.limits(ChatLimits.builder()
                        .maxMessageLength(ChatTestServer.MAX_MESSAGE_LENGTH)
                        .messagesPerSecond(1000)
                        .messageBurst(1000)
                        .actionsPerSecond(1)
                        .actionBurst(40)
                        .build()));
        String aliceToken = server.register("alice-rooms@example.com");
        server.register("bob-rooms@example.com");
        List<String> rooms = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            rooms.add(server.createRoom("Java rooms " + i));
        }
        Client alice = new Client(Map.of("token", aliceToken));
        for (String name : rooms) {
            alice.request("joinRoom", room(name));
        }
        String last = rooms.get(rooms.size() - 1);
        alice.drop();
        await().atMost(TIMEOUT).until(() -> !alice.socket.connected());

        Client back = new Client(Map.of("token", aliceToken, "pid", alice.pid.get()));
        ChatConnection bob = server.engine().connect("bob-rooms@example.com");
        bob.joinRoom(last);
        String id = bob.sendMessage(last, "in the last room", null)
                .toCompletableFuture()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .id();

        assertThat(back.pid.get()).as("recovered: the same pid").isEqualTo(alice.pid.get());
        await().atMost(TIMEOUT).until(() -> back.chatIds().contains(id));
        for (String name : rooms) {
            org.json.JSONArray users =
                    back.request("getOnlineUsers", room(name)).getJSONArray("users");
            List<String> online = new ArrayList<>();
            for (int i = 0; i < users.length(); i++) {
                online.add(users.getString(i));
            }
            assertThat(online).as("online in %s", name).contains("alice-rooms@example.com");
        }
    }

    /** More missed than fatechat.recovery.max-replay: a fresh session (a new pid, nothing replayed, in no room). */
    @Test
    void aReplayLargerThanTheMaximumGivesAFreshSessionWhoseRoomsCanBeJoinedAgain() throws Exception {
        start(RecoveryOptions.DEFAULTS.withWindow(Duration.ofHours(1)).withMaxReplay(2));
        Dropped dropped = aliceDropsOut("overflow");
        for (int i = 1; i <= 3; i++) {
            dropped.bobSends("missed " + i);
        }

        Client back = dropped.reconnect();

        assertFresh(dropped, back);
    }

    @Test
    void aJavaClientAwayPastTheWindowGetsAFreshSession() throws Exception {
        start(RecoveryOptions.DEFAULTS.withWindow(Duration.ofMinutes(1)));
        Dropped dropped = aliceDropsOut("window");
        dropped.bobSends("missed");
        ahead.set(Duration.ofMinutes(2));

        Client back = dropped.reconnect();

        assertFresh(dropped, back);
    }

    /** With nobody recovering, a broadcast takes no lock: it goes out while another thread holds the lock alone. */
    @Test
    void aDeliveryWithNobodyRecoveringTakesNoLock() throws Exception {
        SocketRecovery recovery = server.endpoint().binding().recovery();
        ChatMessage message = new ChatMessage(
                "01a23dab-e4a9-794f-98ef-7bd413b4eb4b",
                ConversationId.room("quiet"),
                "bob@example.com",
                "hello",
                false,
                Instant.now(),
                null);
        CompletableFuture<Void> locked = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        Thread holder = new Thread(() -> {
            recovery.deliveries.writeLock().lock();
            try {
                locked.complete(null);
                release.join();
            } finally {
                recovery.deliveries.writeLock().unlock();
            }
        });
        holder.start();
        try {
            locked.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<Set<String>> broadcast = new CompletableFuture<>();
            CompletableFuture.runAsync(() -> recovery.deliver(message, broadcast::complete));
            assertThat(broadcast.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("sent to everyone")
                    .isEmpty();
        } finally {
            release.complete(null);
            holder.join();
        }
    }

    /** Not recovered: a new pid, no replay, and in no room until it joins, when it gets the room's messages again. */
    private void assertFresh(Dropped dropped, Client back) throws Exception {
        assertThat(back.pid.get()).as("a new pid").isNotBlank().isNotEqualTo(dropped.pid);
        String inNoRoom = dropped.bobSends("while in no room");
        // the ack may come before the live delivery: once Bob has it, the room's broadcast of it has gone out
        await().atMost(TIMEOUT).until(() -> dropped.bob.chatIds().contains(inNoRoom));
        back.request("joinRoom", room(dropped.room));
        String after = dropped.bobSends("after joining again");
        await().atMost(TIMEOUT).until(() -> back.chatIds().contains(after));
        assertThat(back.chatIds())
                .as("nothing replayed, nothing before the join")
                .containsExactly(after);
    }
}
