package org.ptarena.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptarena.core.Apis;
import org.ptarena.core.PageTableOps;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Resolves {@code --impl NAME} options to implementations, for every command that has one. */
final class Implementations {
    private Implementations() { }

    /**
     * The implementations called {@code names}, in the order given and without repeats.
     *
     * @throws ParameterException naming the unknown name and the known ones (exit status 2)
     */
    static List<PageTableOps> named(CommandSpec spec, List<String> names) {
        Map<String, PageTableOps> chosen = new LinkedHashMap<>();
        for (String name : names) {
            try {
                chosen.putIfAbsent(name, Apis.byName(name));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--impl: " + e.getMessage());
            }
        }
        return new ArrayList<>(chosen.values());
    }
}
