package io.syncctl.devkit.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ContainerLaunchTest {

    private final Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u-1")
            .withLabels(Map.of("app", "syncctl")).endMetadata().withNewSpec().endSpec().build();
    private final MountPaths mounts = MountPaths.of(Map.of("/pipes", Path.of("/w/pipes")));
    private final Map<String, String> host = Map.of("PATH", "/usr/bin", "HOME", "/root", "SYNCCTL_DATABASE_URL", "postgresql://secret");

    @Test
    void aContainerWithACommandRunsItWithTheMappedCommandAsAirbyteEntrypoint() throws Exception {
        Container container = new ContainerBuilder().withName("source").withImage("x")
                .withCommand("sh", "-c", "eval \"$AIRBYTE_ENTRYPOINT spec\" > /pipes/stdout").build();

        ContainerLaunch launch = ContainerLaunch.prepare(pod, container, "/repo/bin/source", mounts, Path.of("/w"), host, null);

        assertEquals(List.of("sh", "-c", "eval \"$AIRBYTE_ENTRYPOINT spec\" > /w/pipes/stdout"), launch.argv());
        assertEquals("/repo/bin/source", launch.env().get("AIRBYTE_ENTRYPOINT"));
        assertEquals(Path.of("/w"), launch.workingDir());
    }

    @Test
    void aContainerWithoutCommandRunsTheMappedCommandWithItsArgs() throws Exception {
        Container container = new ContainerBuilder().withName("sidecar").withImage("x").withArgs("--out", "/pipes/x").build();

        ContainerLaunch launch = ContainerLaunch.prepare(pod, container, "/repo/sidecar --quiet", mounts, Path.of("/w"), host, null);

        assertEquals(List.of("sh", "-c", "exec /repo/sidecar --quiet \"$@\"", "sidecar", "--out", "/w/pipes/x"), launch.argv());
    }

    /** The sidecar mounts /tmp; a checkout under /tmp (as CI's) must still find its own sidecar script. */
    @Test
    void theMappedEntrypointIsAPathHereNeverRewrittenToAMount() throws Exception {
        MountPaths withTmp = MountPaths.of(Map.of("/tmp", Path.of("/w/sidecar-tmp"), "/pipes", Path.of("/w/pipes")));
        Container container = new ContainerBuilder().withName("sidecar").withImage("x").withArgs("/tmp/x").build();

        ContainerLaunch launch = ContainerLaunch.prepare(pod, container, "/tmp/ci/repo/sidecar/bin/sidecar", withTmp,
                Path.of("/w"), host, null);

        assertEquals(List.of("sh", "-c", "exec /tmp/ci/repo/sidecar/bin/sidecar \"$@\"", "sidecar", "/w/sidecar-tmp/x"),
                launch.argv());
    }

    @Test
    void theEnvironmentIsTheContainersOwnPlusWhatProgramsNeedToRunHere() throws Exception {
        Container container = new ContainerBuilder().withName("c").withImage("x")
                .addNewEnv().withName("PIPE").withValue("/pipes/stdout").endEnv()
                .addNewEnv().withName("GREETING").withValue("hello $(NAME) $$(NAME)").endEnv()
                .addNewEnv().withName("NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("AGAIN").withValue("$(NAME)-$(GREETING)").endEnv()
                .addNewEnv().withName("APP").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.labels['app']").endFieldRef().endValueFrom().endEnv()
                .build();

        Map<String, String> env = ContainerLaunch.prepare(pod, container, "e", mounts, Path.of("/w"), host, null).env();

        assertEquals("/w/pipes/stdout", env.get("PIPE"));
        assertEquals("hello $(NAME) $(NAME)", env.get("GREETING"), "a reference to a variable defined later stays as it is");
        assertEquals("ns-hello $(NAME) $(NAME)", env.get("AGAIN"));
        assertEquals("syncctl", env.get("APP"));
        assertEquals("p", env.get("HOSTNAME"));
        assertEquals("/usr/bin", env.get("PATH"));
        assertFalse(env.containsKey("SYNCCTL_DATABASE_URL"), "the host's other variables stay out of containers");
    }
}
