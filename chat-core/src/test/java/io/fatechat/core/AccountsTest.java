package io.fatechat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.fatechat.core.memory.InMemoryUserStore;
import io.fatechat.spi.EmailTakenException;
import io.fatechat.spi.ErrorCode;
import io.fatechat.spi.InvalidCredentialsException;
import io.fatechat.spi.InvalidInputException;
import io.fatechat.spi.InvalidTokenException;
import io.fatechat.spi.UnknownUserException;
import io.fatechat.spi.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsTest {

    private final MutableClock clock = new MutableClock();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final ChatEngine engine =
            TestEngines.builder().clock(clock).userStore(users).build();

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void registerTrimsAndLowerCasesTheEmailAndStoresOnlyABcryptHash() {
        String token = engine.register("  Alice@Example.COM ", "correct horse");

        assertThat(engine.authenticate(token)).isEqualTo("alice@example.com");
        User stored = users.findByEmail("alice@example.com").orElseThrow();
        assertThat(stored.email()).isEqualTo("alice@example.com");
        assertThat(stored.passwordHash()).startsWith("$2b$04$").doesNotContain("correct horse");
        assertThat(stored.createdAt()).isEqualTo(clock.instant());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                " ",
                "alice",
                "alice@",
                "@example.com",
                "a b@example.com",
                "alice@exa mple.com",
                "alice@@example.com",
                "alice@-example.com",
                "alice@example..com",
                ".alice@example.com",
                "al..ice@x.com",
                "ali\tce@example.com",
                "alice@example.com/x"
            })
    void registerRefusesAMalformedEmail(String email) {
        assertThatThrownBy(() -> engine.register(email, "correct horse"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("email");
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                });
    }

    @Test
    void registerRefusesTooLongEmails() {
        String longLocal = "a".repeat(65) + "@example.com";
        String longTotal =
                "a@" + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60) + "." + "e".repeat(70) + ".com";
        assertThatThrownBy(() -> engine.register(longLocal, "correct horse"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("email"));
        assertThatThrownBy(() -> engine.register(longTotal, "correct horse"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("email"));
        assertThat(engine.register("a".repeat(64) + "@x.io", "correct horse")).isNotBlank();
    }

    @Test
    void passwordsAreEightToSeventyTwoUtf8Bytes() {
        assertPasswordRefused(null, "required");
        assertPasswordRefused("", "empty");
        assertPasswordRefused("1234567", "at least 8 bytes");
        assertPasswordRefused("x".repeat(73), "at most 72 bytes");
        // 25 euro signs are 25 characters but 75 bytes.
        assertPasswordRefused("\u20ac".repeat(25), "at most 72 bytes");
        assertPasswordRefused("abcdefgh\ud800", "not valid Unicode");

        assertThat(engine.register("eight@x.io", "12345678")).isNotBlank();
        assertThat(engine.register("max@x.io", "\u20ac".repeat(24))).isNotBlank();
        assertThat(engine.authenticate(engine.login("max@x.io", "\u20ac".repeat(24))))
                .isEqualTo("max@x.io");
        // Every byte counts, and nothing past the 72nd can log in by being truncated away.
        assertThatThrownBy(() -> engine.login("max@x.io", "\u20ac".repeat(23) + "\u20ad"))
                .isInstanceOf(InvalidCredentialsException.class);
        assertThatThrownBy(() -> engine.login("max@x.io", "\u20ac".repeat(24) + "extra"))
                .isInstanceOf(InvalidCredentialsException.class);
    }

    private void assertPasswordRefused(String password, String reason) {
        assertThatThrownBy(() -> engine.register("pw@x.io", password))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("password");
                    assertThat(e.getMessage()).contains(reason);
                    if (password != null && !password.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(password);
                    }
                });
        assertThat(users.findByEmail("pw@x.io"))
                .as("a refused registration leaves no user")
                .isEmpty();
    }

    @Test
    void duplicateRegistrationIsRefusedCaseInsensitivelyAndKeepsTheFirstAccount() {
        engine.register("bob@example.com", "first password");

        assertThatThrownBy(() -> engine.register("BOB@example.com", "second password"))
                .isInstanceOfSatisfying(EmailTakenException.class, e -> {
                    assertThat(e.email()).isEqualTo("bob@example.com");
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                });
        assertThat(engine.login("bob@example.com", "first password")).isNotBlank();
        assertThatThrownBy(() -> engine.login("bob@example.com", "second password"))
                .isInstanceOf(InvalidCredentialsException.class);
    }

    @Test
    void loginAcceptsAnyCaseOfTheEmail() {
        engine.register("carol@example.com", "correct horse");
        assertThat(engine.authenticate(engine.login(" CAROL@example.com", "correct horse")))
                .isEqualTo("carol@example.com");
    }

    @Test
    void loginNeverTellsAnUnknownEmailFromAWrongPassword() {
        engine.register("dave@example.com", "correct horse");

        Throwable wrongPassword = catchThrowable(() -> engine.login("dave@example.com", "wrong horse"));
        Throwable unknownEmail = catchThrowable(() -> engine.login("nobody@example.com", "correct horse"));
        Throwable malformedEmail = catchThrowable(() -> engine.login("not an email", "correct horse"));
        Throwable tooLongPassword = catchThrowable(() -> engine.login("dave@example.com", "x".repeat(100)));

        for (Throwable t : new Throwable[] {wrongPassword, unknownEmail, malformedEmail, tooLongPassword}) {
            assertThat(t).isExactlyInstanceOf(InvalidCredentialsException.class).hasMessage("Invalid credentials");
            assertThat(((InvalidCredentialsException) t).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        }
    }

    @Test
    void loginRefusesMissingFieldsAsInvalidInput() {
        assertThatThrownBy(() -> engine.login(null, "x"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("email"));
        assertThatThrownBy(() -> engine.login(" ", "x"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("email"));
        assertThatThrownBy(() -> engine.login("a@x.io", ""))
                .isInstanceOfSatisfying(
                        InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("password"));
    }

    @Test
    void issueTokenSignsAnEngineTokenForAUserStoredWithoutAPasswordAndRefusesUnknownUsers() {
        users.create(new User("grace@example.com", "!no-password", clock.instant()));

        assertThat(engine.authenticate(engine.issueToken(" Grace@Example.com"))).isEqualTo("grace@example.com");
        assertThatThrownBy(() -> engine.issueToken("nobody@example.com"))
                .isInstanceOfSatisfying(
                        UnknownUserException.class, e -> assertThat(e.email()).isEqualTo("nobody@example.com"));
        assertThatThrownBy(() -> engine.issueToken("not an email")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void tokensExpireAfterTheirTtl() {
        String token = engine.register("erin@example.com", "correct horse");
        clock.advance(ChatEngine.DEFAULT_TOKEN_TTL.minusSeconds(1));
        assertThat(engine.authenticate(token)).isEqualTo("erin@example.com");

        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(() -> engine.authenticate(token)).isInstanceOfSatisfying(InvalidTokenException.class, e -> {
            assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.EXPIRED);
            assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        });
    }

    @Test
    void forgedMalformedAndMissingTokensAreRefusedWithTheirReason() {
        String genuine = engine.register("frank@example.com", "correct horse");
        String otherSecret = JWT.create()
                .withIssuer("fatechat")
                .withSubject("frank@example.com")
                .withExpiresAt(clock.instant().plusSeconds(60))
                .sign(Algorithm.HMAC256("another secret that is long enough!!"));
        String[] parts = genuine.split("\\.");
        String tamperedPayload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("{\"iss\":\"fatechat\",\"sub\":\"mallory@example.com\",\"exp\":"
                                + (clock.instant().getEpochSecond() + 60) + "}")
                        .getBytes(StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + tamperedPayload + "." + parts[2];
        String unsigned = Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + tamperedPayload + ".";
        String hs512 = JWT.create()
                .withIssuer("fatechat")
                .withSubject("frank@example.com")
                .withExpiresAt(clock.instant().plusSeconds(60))
                .sign(Algorithm.HMAC512(TestEngines.SECRET));
        String otherIssuer = JWT.create()
                .withIssuer("someone-else")
                .withSubject("frank@example.com")
                .withExpiresAt(clock.instant().plusSeconds(60))
                .sign(Algorithm.HMAC256(TestEngines.SECRET));

        for (String token :
                new String[] {otherSecret, tampered, unsigned, hs512, otherIssuer, "abc", "a.b.c", "Bearer " + genuine
                }) {
            assertThatThrownBy(() -> engine.authenticate(token))
                    .as(token)
                    .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason())
                            .isEqualTo(InvalidTokenException.Reason.INVALID));
        }
        for (String token : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> engine.authenticate(token))
                    .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.reason())
                            .isEqualTo(InvalidTokenException.Reason.MISSING));
        }
    }

    @Test
    void tokensVerifyOnEveryNodeSharingTheSecretAndOnNoOther() {
        String token = engine.register("gina@example.com", "correct horse");
        // nodes of one deployment share the user store (a token of a user the store does not know is refused)
        try (ChatEngine sameSecret =
                        TestEngines.builder().clock(clock).userStore(users).build();
                ChatEngine otherSecret = TestEngines.builder()
                        .userStore(users)
                        .tokenSecret(new byte[32])
                        .build()) {
            assertThat(sameSecret.authenticate(token)).isEqualTo("gina@example.com");
            assertThatThrownBy(() -> otherSecret.authenticate(token)).isInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    void loginVerifiesHashesOfOtherBcryptVersions() {
        // A $2a$ hash as the Node.js Fatechat (bcryptjs) wrote it for "correct horse".
        String hash = at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2A)
                .hashToString(4, "correct horse".toCharArray());
        users.create(new User("legacy@example.com", hash, Instant.EPOCH));
        assertThat(engine.login("legacy@example.com", "correct horse")).isNotBlank();
        users.create(new User("broken@example.com", "not a bcrypt hash", Instant.EPOCH));
        assertThatThrownBy(() -> engine.login("broken@example.com", "correct horse"))
                .isInstanceOf(InvalidCredentialsException.class);
        assertThat(Optional.of(engine.nodeId())).isPresent();
    }

    private static Throwable catchThrowable(Runnable action) {
        try {
            action.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
