package io.fatechat.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two users in two headless Chromium browsers use the web UI of the reference server end to end: register,
 * log in, create and enter a room, chat, see each other online, exchange a private message, and one sees the
 * other go offline when they close the page; a server outage is shown and both reconnect by themselves; a page
 * whose connection drops recovers it and shows what was sent meanwhile once, with no gap. Saves screenshots of the main screens to {@code screenshots.dir}.
 */
@SpringBootTest(
        classes = ReferenceServer.class,
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = {
            "fatechat.jdbc.url=jdbc:h2:mem:browser-it;MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
            "fatechat.auth.bcrypt-cost=4",
            "fatechat.auth.token-secret=browser-test-secret-of-at-least-32-bytes",
            "management.health.diskspace.enabled=false"
        })
class ReferenceServerBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * Run in every page before its scripts: keeps the Socket.IO sockets the page opens in
     * {@code window.fatechatTestSockets} (so that a test can drop a connection) and the texts of the non-event
     * messages they receive in {@code window.fatechatTestReceived}.
     */
    private static final String KEEP_SOCKETS =
            """
            (function () {
              let wrapped;
              window.fatechatTestSockets = [];
              window.fatechatTestReceived = [];
              Object.defineProperty(window, 'io', {
                configurable: true,
                get() { return wrapped; },
                set(io) {
                  wrapped = Object.assign(function () {
                    const socket = io.apply(this, arguments);
                    window.fatechatTestSockets.push(socket);
                    socket.on('receiveMessage', (m) => { if (!m.isEvent) window.fatechatTestReceived.push(m.messageText); });
                    return socket;
                  }, io);
                }
              });
            })();
            """;

    /** A free port chosen up front, so that the server can be stopped and started again on the same one. */
    private static final int PORT = freePort();

    @DynamicPropertySource
    static void serverPort(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    @AfterEach
    void quitBrowsers() throws IOException {
        for (WebDriver driver : drivers) {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                // already closed by the test
            }
        }
        for (Path profile : profiles) {
            deleteTree(profile);
        }
    }

    @Test
    void twoUsersChatInTheBrowser() throws IOException {
        WebDriver alice = browser();
        WebDriver bob = browser();
        String aliceMail = "alice@example.com";
        String bobMail = "bob@example.com";

        alice.get(base());
        waitFor(alice, By.id("auth-form"));
        screenshot(alice, "login");
        register(alice, aliceMail, "alice-password");
        assertThat(text(alice, "me")).isEqualTo(aliceMail);
        assertThat(port).isEqualTo(PORT);

        // a taken e-mail and a wrong password are shown to the user
        bob.get(base());
        register(bob, aliceMail, "whatever-password", false);
        waitForText(bob, By.id("auth-error"), "already registered");
        screenshot(bob, "register-error");
        bob.findElement(By.id("tab-login")).click();
        fill(bob, "auth-email", aliceMail);
        fill(bob, "auth-password", "wrong-password");
        bob.findElement(By.id("auth-submit")).click();
        waitForText(bob, By.id("auth-error"), "Wrong e-mail or password");
        register(bob, bobMail, "bob-password");

        // alice creates a room and lands in it; bob sees it in the list and enters it by clicking its name
        fill(alice, "room-name", "lobby");
        alice.findElement(By.id("room-create")).click();
        waitForText(alice, By.id("conv-title"), "lobby");
        bob.findElement(By.id("refresh-rooms")).click();
        click(bob, By.cssSelector("#room-list li[data-room='lobby']"));
        waitForText(bob, By.id("conv-title"), "lobby");

        // both see each other online
        waitFor(alice, By.cssSelector("#online-list li[data-user='" + bobMail + "']"));
        waitFor(bob, By.cssSelector("#online-list li[data-user='" + aliceMail + "']"));

        // real-time messages, rendered as text
        send(alice, "Hello Bob! <b>not bold</b>");
        waitForMessage(bob, "Hello Bob! <b>not bold</b>");
        assertThat(bob.findElements(By.cssSelector("#messages b"))).isEmpty();
        send(bob, "Hi Alice, good to see you here.");
        waitForMessage(alice, "Hi Alice, good to see you here.");
        screenshot(alice, "chat-room");

        // a private message: alice clicks bob in the online list
        alice.findElement(By.cssSelector("#online-list li[data-user='" + bobMail + "']"))
                .click();
        waitForText(alice, By.id("conv-title"), bobMail);
        send(alice, "A secret just for you");
        click(bob, By.cssSelector("#dm-list li[data-dm='" + aliceMail + "']"));
        waitForMessage(bob, "A secret just for you");
        send(bob, "Got it, thanks!");
        waitForMessage(alice, "Got it, thanks!");
        screenshot(bob, "private-message");

        // back in the room: history is shown on entering, and bob leaving shows him offline
        click(alice, By.cssSelector("#room-list li[data-room='lobby']"));
        waitForMessage(alice, "Hi Alice, good to see you here.");
        click(bob, By.cssSelector("#room-list li[data-room='lobby']"));
        waitForMessage(bob, "Hello Bob! <b>not bold</b>");
        waitFor(alice, By.cssSelector("#online-list li[data-user='" + bobMail + "']"));

        // a lost connection is shown, and both clients reconnect by themselves and re-enter the room
        WebServer web = ((WebServerApplicationContext) context).getWebServer();
        web.stop();
        waitForText(alice, By.id("banner"), "Reconnecting");
        screenshot(alice, "connection-lost");
        web.start();
        new WebDriverWait(alice, WAIT).until(ExpectedConditions.invisibilityOfElementLocated(By.id("banner")));
        waitForText(bob, By.id("conn-status"), "online");
        waitFor(alice, By.cssSelector("#online-list li[data-user='" + bobMail + "']"));
        send(bob, "Back after the outage");
        waitForMessage(alice, "Back after the outage");

        alice.manage().window().setSize(new Dimension(390, 800));
        alice.findElement(By.id("toggle-sidebar")).click();
        waitFor(alice, By.id("messages"));
        screenshot(alice, "narrow-screen");
        alice.manage().window().setSize(new Dimension(1280, 800));

        bob.quit();
        new WebDriverWait(alice, WAIT)
                .until(ExpectedConditions.invisibilityOfElementLocated(
                        By.cssSelector("#online-list li[data-user='" + bobMail + "']")));
        assertThat(alice.findElements(By.cssSelector("#online-list li[data-user='" + aliceMail + "']")))
                .hasSize(1);

        // log out returns to the login screen
        alice.findElement(By.id("logout")).click();
        waitFor(alice, By.id("auth-form"));
    }

    /**
     * Conversations come from the server: unread badges on a room and a private conversation, the same list in a
     * second browser of the same user, "seen by" under the sender's message once the other user has read it, and
     * the badge cleared in every browser of the reader.
     */
    @Test
    void conversationsWithUnreadBadgesFollowTheUserAndShowWhoHasSeenWhat() throws IOException {
        String carolMail = "carol@example.com";
        String daveMail = "dave@example.com";
        List<WebDriver> pair = twoInANewRoom(carolMail, daveMail, "readers");
        WebDriver carol = pair.get(0);
        WebDriver dave = pair.get(1);
        // dave turns to a private conversation: the room keeps him as a member, unread grows there
        fill(dave, "dm-email", carolMail);
        dave.findElement(By.id("dm-open")).click();
        waitForText(dave, By.id("conv-title"), carolMail);

        for (int i = 1; i <= 3; i++) {
            send(carol, "news " + i);
            waitForMessage(carol, "news " + i);
        }
        waitForText(dave, By.cssSelector("#room-list li[data-room='readers'] .badge"), "3");
        screenshot(dave, "unread-badges");

        // the same user in another browser: the server's list, badges included, not this browser's storage
        WebDriver daveElsewhere = browser();
        daveElsewhere.get(base());
        waitFor(daveElsewhere, By.id("tab-login")).click();
        fill(daveElsewhere, "auth-email", daveMail);
        fill(daveElsewhere, "auth-password", "dave-password");
        daveElsewhere.findElement(By.id("auth-submit")).click();
        waitForText(daveElsewhere, By.id("conn-status"), "online");
        waitForText(daveElsewhere, By.cssSelector("#room-list li[data-room='readers'] .badge"), "3");
        assertThat(daveElsewhere
                        .findElement(By.cssSelector("#room-list li[data-room='readers']"))
                        .getAttribute("class"))
                .contains("member");
        screenshot(daveElsewhere, "conversations-other-browser");

        // reading in one browser clears the badge in both and tells carol
        click(daveElsewhere, By.cssSelector("#room-list li[data-room='readers']"));
        waitForMessage(daveElsewhere, "news 3");
        waitForText(carol, By.cssSelector("#messages .msg.mine .seen"), "Seen by " + daveMail);
        screenshot(carol, "seen-by");
        for (WebDriver browser : List.of(dave, daveElsewhere)) {
            new WebDriverWait(browser, WAIT)
                    .until(ExpectedConditions.invisibilityOfElementLocated(
                            By.cssSelector("#room-list li[data-room='readers'] .badge")));
        }

        // a private message to dave, open in his first browser, is read there at once: carol sees it seen
        carol.findElement(By.cssSelector("#online-list li[data-user='" + daveMail + "']"))
                .click();
        waitForText(carol, By.id("conv-title"), daveMail);
        send(carol, "just between us");
        waitForMessage(dave, "just between us");
        waitForText(carol, By.cssSelector("#messages .msg.mine .seen"), "Seen by " + daveMail);
        waitFor(daveElsewhere, By.cssSelector("#dm-list li[data-dm='" + carolMail + "']"));
    }

    /**
     * Two users, each registered in a browser of their own (password: the mail's local part + "-password"), both in
     * {@code room}, which the first created and the second opened.
     */
    private List<WebDriver> twoInANewRoom(String firstMail, String secondMail, String room) throws IOException {
        WebDriver first = browser();
        WebDriver second = browser();
        first.get(base());
        register(first, firstMail, firstMail.substring(0, firstMail.indexOf('@')) + "-password");
        second.get(base());
        register(second, secondMail, secondMail.substring(0, secondMail.indexOf('@')) + "-password");
        fill(first, "room-name", room);
        first.findElement(By.id("room-create")).click();
        waitForText(first, By.id("conv-title"), room);
        second.findElement(By.id("refresh-rooms")).click();
        click(second, By.cssSelector("#room-list li[data-room='" + room + "']"));
        waitForText(second, By.id("conv-title"), room);
        return List.of(first, second);
    }

    /**
     * Issue 17: the page's connection drops (its transport closes under it, as on a Wi-Fi drop) while another user
     * sends; once it is back, the client is recovered (same session, no re-join) and the conversation shows every
     * message once, in order, with no gap; the server sent each of them to the page once.
     */
    @Test
    void aDroppedConnectionRecoversWithNoGapAndNoDuplicate() throws IOException {
        String erinMail = "erin@example.com";
        String frankMail = "frank@example.com";
        List<WebDriver> pair = twoInANewRoom(erinMail, frankMail, "flaky");
        WebDriver erin = pair.get(0);
        WebDriver frank = pair.get(1);
        waitFor(erin, By.cssSelector("#online-list li[data-user='" + frankMail + "']"));
        send(frank, "before the drop");
        waitForMessage(erin, "before the drop");

        // the transport closes under the client; it stays away (no reconnection) while frank sends
        script(erin, "const s = window.fatechatTestSockets.at(-1); s.io.reconnection(false); s.io.engine.close();");
        waitForText(erin, By.id("conn-status"), "offline");
        for (int i = 1; i <= 3; i++) {
            send(frank, "while away " + i);
            waitForMessage(frank, "while away " + i);
        }
        script(erin, "const s = window.fatechatTestSockets.at(-1); s.io.reconnection(true); s.connect();");
        waitForText(erin, By.id("conn-status"), "online");
        assertThat(script(erin, "return window.fatechatTestSockets.at(-1).recovered;"))
                .as("socket.recovered")
                .isEqualTo(true);
        assertThat(script(erin, "return window.fatechatTestSockets.length;"))
                .as("the same socket reconnected")
                .isEqualTo(1L);
        send(frank, "after the drop");
        waitForMessage(erin, "after the drop");
        screenshot(erin, "recovered");

        List<String> expected =
                List.of("before the drop", "while away 1", "while away 2", "while away 3", "after the drop");
        List<String> shown = erin.findElements(By.cssSelector("#messages .msg:not(.event) .text")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(shown).as("the conversation, in order, each once").containsExactlyElementsOf(expected);
        @SuppressWarnings("unchecked")
        List<Object> received = (List<Object>) script(erin, "return window.fatechatTestReceived;");
        assertThat(received).as("receiveMessage texts the page got").containsExactlyElementsOf(expected);
    }

    private static Object script(WebDriver driver, String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String base() {
        return "http://localhost:" + port + "/";
    }

    private WebDriver browser() throws IOException {
        Path profile = Files.createTempDirectory("fatechat-chromium-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1280,800",
                "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("chromedriver.path", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        drivers.add(driver);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", KEEP_SOCKETS));
        return driver;
    }

    private static void register(WebDriver driver, String email, String password) {
        register(driver, email, password, true);
    }

    private static void register(WebDriver driver, String email, String password, boolean expectChat) {
        waitFor(driver, By.id("tab-register")).click();
        fill(driver, "auth-email", email);
        fill(driver, "auth-password", password);
        driver.findElement(By.id("auth-submit")).click();
        if (expectChat) {
            waitFor(driver, By.id("chat-view"));
            waitForText(driver, By.id("conn-status"), "online");
        }
    }

    private static void send(WebDriver driver, String text) {
        fill(driver, "message-input", text);
        driver.findElement(By.id("send")).click();
    }

    private static void waitForMessage(WebDriver driver, String text) {
        new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector("#messages .msg .text")).stream()
                .anyMatch(e -> e.getText().equals(text)));
    }

    private static void fill(WebDriver driver, String id, String value) {
        WebElement input = waitFor(driver, By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /**
     * Clicks the element once it is visible; the lists are re-rendered when unread counts, presence or a recovered
     * connection update them, so a found element can go stale before the click: find it again then.
     */
    private static void click(WebDriver driver, By by) {
        new WebDriverWait(driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    WebElement element =
                            ExpectedConditions.visibilityOfElementLocated(by).apply(d);
                    if (element == null) {
                        return false;
                    }
                    element.click();
                    return true;
                });
    }

    private static WebElement waitFor(WebDriver driver, By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void waitForText(WebDriver driver, By by, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    private static void screenshot(WebDriver driver, String name) throws IOException {
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
