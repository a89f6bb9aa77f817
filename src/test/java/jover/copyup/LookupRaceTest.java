package jover.copyup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import jover.testing.Environment;
import jover.testing.MountFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The short run of {@link LookupRace} in every build, with and without passthrough: lookups and
 * stats of names racing their copy-ups never make an appended file look unappended. The long
 * run (ten minutes per mode) is bench/race.sh.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LookupRaceTest {
    @RegisterExtension
    final MountFixture fx = new MountFixture();

    @BeforeEach
    void requirements() {
        Environment.requireFuseMounting();
    }

    @ParameterizedTest(name = "passthrough={0}")
    @ValueSource(strings = {"auto", "off"})
    void appendedFilesNeverLookUnappended(String passthrough) throws Exception {
        LookupRace.Settings s = new LookupRace.Settings(passthrough, Duration.ofSeconds(15), 600, 2, 4);
        LookupRace.Result r = new LookupRace(s, (lower, upper, work, mnt, options) ->
                fx.jover(List.of(lower), Optional.of(upper), Optional.of(work), mnt, false, options))
                .run(fx.newDir("race"));
        System.out.println("LookupRaceTest passthrough=" + passthrough + ": " + r);
        assertEquals(List.of(), r.failures());
        assertTrue(r.appends() >= 600 && r.statsByName() >= 600,
                "the race did too little to mean anything: " + r);
        assertEquals(passthrough.equals("auto"), r.passthroughActive(), "passthrough as asked: " + r);
    }
}
