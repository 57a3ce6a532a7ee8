package io.syncctl.api.intake;

import io.quarkus.runtime.StartupEvent;
import io.syncctl.api.errors.ApiException;
import io.syncctl.shared.config.ImagePatterns;
import io.syncctl.shared.config.Settings;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * {@code SYNCCTL_ALLOWED_IMAGES}: a task runs its package as a container in the cluster, so the
 * images a client may name are limited to the operator's patterns (400 naming the image and the
 * setting otherwise). Unset, every image is accepted, which is worth a warning at startup.
 */
@Singleton
public class AllowedImages {
    private static final Logger LOG = Logger.getLogger(AllowedImages.class);

    private final ImagePatterns patterns;

    public AllowedImages(Settings settings) {
        this.patterns = settings.allowedImages();
    }

    void warnWhenAny(@Observes StartupEvent event) {
        if (patterns.any()) {
            LOG.warn("SYNCCTL_ALLOWED_IMAGES is not set, so a client may run any image from any registry in the "
                    + "cluster. Set it to the repositories you use, e.g. airbyte/*,jitsucom/*");
        }
    }

    /** The package (image repository) if allowed; 400 otherwise. */
    public String check(String pkg) {
        if (!patterns.allows(pkg)) {
            throw ApiException.badRequest("package '" + pkg + "' is not allowed: it matches none of SYNCCTL_ALLOWED_IMAGES ("
                    + patterns + ")");
        }
        return pkg;
    }
}
