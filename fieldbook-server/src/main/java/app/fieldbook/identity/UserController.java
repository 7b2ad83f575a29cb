package app.fieldbook.identity;

import app.fieldbook.RejectedRequest;
import app.fieldbook.protocol.Page;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Administration of user accounts. Administrators only. */
@RestController
@RequestMapping("/api/v1/users")
@PreAuthorize("hasRole('ADMINISTRATOR')")
class UserController {

    /** The length rule at the edge; the other rules of a password are the {@link PasswordPolicy}'s. */
    private static final String PASSWORD_LENGTH = "must have at least 12 and at most 200 characters";

    /**
     * An account as administrators see it: {@code passwordChangeRequired} while its person has not yet changed the
     * password an administrator chose; {@code secondFactor} whether they have an authenticator app or a passkey
     * (only in the answer about one account, null in lists).
     */
    record UserView(UUID id, String login, String name, String email, Role role, boolean active,
            boolean passwordChangeRequired, Boolean secondFactor, long version, OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {

        static UserView of(User user) {
            return of(user, null);
        }

        static UserView of(User user, Boolean secondFactor) {
            return new UserView(user.id(), user.login(), user.name(), user.email(), user.role(), user.active(),
                    user.passwordChangeRequired(), secondFactor, user.version(), user.createdAt(), user.updatedAt());
        }
    }

    record NewUser(
            UUID id,
            @NotBlank @Size(max = 100) @Pattern(regexp = "[a-zA-Z0-9._@-]+", message = "letters, digits and . _ @ - only") String login,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 320) String email,
            @NotNull Role role,
            @NotBlank @Size(min = 12, max = 200, message = PASSWORD_LENGTH) String password) {
        @Override
        public String toString() {
            return Redacted.of(this, "password");
        }
    }

    record UserChange(
            @NotNull Long version,
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Email @Size(max = 320) String email,
            @NotNull Role role,
            @NotNull Boolean active) {
    }

    record NewPassword(@NotBlank @Size(min = 12, max = 200, message = PASSWORD_LENGTH) String password) {
        @Override
        public String toString() {
            return Redacted.of(this, "password");
        }
    }

    private final Users users;
    private final UserAdministration administration;

    UserController(Users users, UserAdministration administration) {
        this.users = users;
        this.administration = administration;
    }

    @GetMapping
    Page<UserView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return new Page<>(users.page(page, size).stream().map(UserView::of).toList(), page, size, users.count());
    }

    @GetMapping("/{id}")
    UserView get(@PathVariable UUID id) {
        return users.findById(id).map(user -> UserView.of(user, administration.hasSecondFactor(user.id())))
                .orElseThrow(() -> RejectedRequest.notFound("User", id));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    UserView create(@Valid @RequestBody NewUser body, @AuthenticationPrincipal Actor actor) {
        return UserView.of(administration.create(new UserAdministration.NewAccount(body.id(), body.login(), body.name(),
                body.email(), body.role(), body.password()), actor));
    }

    @PutMapping("/{id}")
    UserView change(@PathVariable UUID id, @Valid @RequestBody UserChange body, @AuthenticationPrincipal Actor actor) {
        return UserView.of(administration.change(id, new UserAdministration.AccountChange(body.version(), body.name(),
                body.email(), body.role(), body.active()), actor));
    }

    /** Sets another person's password, which they must change at their next sign-in; their sessions end. */
    @PutMapping("/{id}/password")
    UserView setPassword(@PathVariable UUID id, @Valid @RequestBody NewPassword body,
            @AuthenticationPrincipal Actor actor) {
        return UserView.of(administration.setPassword(id, body.password(), actor));
    }

    /** {@code sessionsEnded}: how many sessions and tokens of the person were still open and ended. */
    record SessionsEnded(int sessionsEnded) {
    }

    /**
     * Ends every session and token of another person at once; their password and second factor stay. 409
     * {@code own-account} for the administrator's own.
     */
    @DeleteMapping("/{id}/sessions")
    SessionsEnded endSessions(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        return new SessionsEnded(administration.endSessions(id, actor));
    }

    /**
     * Removes another person's lost second factor (authenticator app, recovery codes, passkeys); their sessions
     * end, and a person whose role requires one enrols again at the next sign-in.
     */
    @DeleteMapping("/{id}/second-factor")
    ResponseEntity<Void> resetSecondFactor(@PathVariable UUID id, @AuthenticationPrincipal Actor actor) {
        administration.resetSecondFactor(id, actor);
        return ResponseEntity.noContent().build();
    }
}
