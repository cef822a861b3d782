package io.helpstream.contract;

import io.helpstream.contract.ReleasedSchemas.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * The rules a schema change must keep, as the build checks them. Backward: the current schema of every type reads
 * records written with every released version, since the topics and the changelogs still hold them. Forward: every
 * released version of a type other services consume reads records written with the current schema, since those
 * services upgrade on their own schedule. And every current type is released unless it is new since the last
 * release, so the next release cannot forget it.
 *
 * @param readByOthers full names of the types other services read from helpstream's topics
 * @param newSinceLastRelease full names of the types added since the last release
 */
record SchemaEvolution(Set<String> readByOthers, Set<String> newSinceLastRelease) {

    SchemaEvolution {
        readByOthers = Set.copyOf(readByOthers);
        newSinceLastRelease = Set.copyOf(newSinceLastRelease);
    }

    /** What breaks a rule, each naming the type, the release and why; empty when the change is safe. */
    List<String> violations(Map<String, Schema> current, List<Release> releases) {
        List<String> violations = new ArrayList<>();
        current.forEach((name, schema) -> {
            for (Release release : releases) {
                release.schema(name).ifPresent(released -> {
                    ReadCompatibility.problem(schema, released).ifPresent(problem -> violations.add(name
                            + ": the current schema cannot read records written with release " + release.version()
                            + ": " + problem));
                    if (readByOthers.contains(name)) {
                        ReadCompatibility.problem(released, schema).ifPresent(problem -> violations.add(name
                                + ": readers of release " + release.version()
                                + " cannot read records written with the current schema: " + problem));
                    }
                });
            }
            violations.addAll(releaseViolations(name, releases));
        });
        return List.copyOf(violations);
    }

    private List<String> releaseViolations(String name, List<Release> releases) {
        if (releases.isEmpty()) {
            return newSinceLastRelease.contains(name) ? List.of() : List.of(name + ": there is no release yet");
        }
        Release last = releases.get(releases.size() - 1);
        boolean released = last.schema(name).isPresent();
        if (!released && !newSinceLastRelease.contains(name)) {
            return List.of(name + ": release " + last.version()
                    + " has no schema of it; list it as new since the last release");
        }
        if (released && newSinceLastRelease.contains(name)) {
            return List.of(name + ": listed as new, but release " + last.version() + " has it");
        }
        return List.of();
    }
}
