package app.fieldbook.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientVersionTest {

    @Test
    void theServerIsSentTheReleaseWithoutItsQualifier() {
        assertThat(new ClientVersion("0.1.0-SNAPSHOT").release()).isEqualTo("0.1.0");
        assertThat(new ClientVersion("1.4.2+build.7").release()).isEqualTo("1.4.2");
        assertThat(new ClientVersion("2.0.0").release()).isEqualTo("2.0.0");
    }

    @Test
    void theVersionComesFromTheBuild() {
        assertThat(ClientVersion.ofBuild().full()).isEqualTo("0.1.0-SNAPSHOT");
    }
}
