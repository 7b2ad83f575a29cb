package app.fieldbook.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

class ShortIdsTest {

    private static final UUID FIRST = UUID.fromString("0193a1b2-7c3d-7e01-8a00-000000000001");
    private static final UUID SECOND = UUID.fromString("0193a1b2-7c3d-7e02-8a00-000000000002");
    private static final UUID OTHER = UUID.fromString("5f0e11aa-0000-4000-8000-000000000003");

    private final CommandLine commandLine = new CommandLine(new Empty());

    @Command
    static final class Empty {
    }

    @Test
    void anIdNoOtherSharesEightDigitsWithIsShownByItsFirstEight() {
        assertThat(ShortIds.among(List.of(FIRST, SECOND, OTHER)).of(OTHER)).isEqualTo("5f0e11aa");
    }

    @Test
    void idsSharingLongPrefixesAreShownUpToTheirFirstDifferentDigitWithTheirDashes() {
        ShortIds ids = ShortIds.among(List.of(FIRST, SECOND, OTHER));

        assertThat(ids.of(FIRST)).isEqualTo("0193a1b2-7c3d-7e01");
        assertThat(ids.of(SECOND)).isEqualTo("0193a1b2-7c3d-7e02");
    }

    @Test
    void aShownPrefixIsAcceptedWithOrWithoutItsDashes() {
        List<UUID> candidates = List.of(FIRST, SECOND, OTHER);
        String shown = ShortIds.among(candidates).of(SECOND);

        assertThat(ShortIds.resolve(commandLine, shown, candidates, "conflict")).isEqualTo(SECOND);
        assertThat(ShortIds.resolve(commandLine, shown.replace("-", ""), candidates, "conflict")).isEqualTo(SECOND);
    }

    @Test
    void anAmbiguousPrefixIsRefusedNamingTheMatchesByPrefixesThatAreAccepted() {
        assertThatThrownBy(() -> ShortIds.resolve(commandLine, "0193A1B2", List.of(FIRST, SECOND, OTHER), "conflict"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("'0193A1B2' matches 2 conflicts (0193a1b2-7c3d-7e01, 0193a1b2-7c3d-7e02); type more of the id");
    }
}
