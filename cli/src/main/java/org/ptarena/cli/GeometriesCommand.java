package org.ptarena.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ptarena.core.Apis;
import org.ptarena.core.Geometries;
import org.ptarena.core.Geometry;
import org.ptarena.core.PageTableOps;
import org.ptarena.core.Support;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ptarena geometries}: the catalog of paging layouts, one line each, and how to name a
 * generic one; with {@code --impl}, which implementation supports which layout, and why not.
 */
@Command(name = "geometries", mixinStandardHelpOptions = true,
        description = "List the paging layouts a trace may name, and who supports each.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "2:bad input: unknown option or implementation"})
final class GeometriesCommand implements Callable<Integer> {
    /** The value a bare {@code --impl} stands for: every implementation found. */
    private static final String ALL = "*";

    private static final String[] LEGEND = {
        "",
        "VA: virtual-address bits. INDEX BITS: per level, root first. LEAVES ABOVE 0: huge",
        "leaf sizes. CONTIGUOUS RUNS: level x entries (unit size), arm64 contiguous bit or",
        "RISC-V Svnapot.",
        "",
        "Any other layout is named by its shape: generic/PAGESHIFT/LEVELS, levels root first,",
        "each BITS[L][cN] (L: may hold a leaf; cN: contiguous runs of N entries), for example",
        "generic/12/6,9L,9Lc16. The bottom level always holds leaves; at most 63 address bits."};

    @Option(names = "--impl", arity = "0..1", fallbackValue = ALL, paramLabel = "NAME",
            description = {"Add a support column for implementation NAME (repeatable);",
                "without NAME, one for every implementation found."})
    List<String> implNames = new ArrayList<>();

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<PageTableOps> impls = implementations();
        List<Geometry> catalog = Geometries.catalog();
        int width = 0;
        for (Geometry g : catalog) width = Math.max(width, Geometries.describe(g).length());
        out.println((pad(header(), width) + columns(impls)).stripTrailing());
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Geometry g : catalog) {
            StringBuilder line = new StringBuilder(pad(Geometries.describe(g), width));
            for (PageTableOps ops : impls) {
                Support s = ops.supports(g);
                line.append(String.format(Locale.ROOT, "  %-7s", s.supported() ? "yes" : "no"));
                if (!s.supported()) reasons.put(ops.name() + " on " + g.name(), s.reason());
            }
            out.println(line.toString().stripTrailing());
        }
        if (!implNames.isEmpty() && impls.isEmpty()) {
            out.println("No implementation found on the classpath.");
        }
        reasons.forEach((what, why) -> out.println("  " + what + ": unsupported: " + why));
        for (String l : LEGEND) out.println(l);
        out.flush();
        return Exit.OK;
    }

    /** The implementations asked for, in the order asked, without repeats. */
    private List<PageTableOps> implementations() {
        if (implNames.isEmpty()) return List.of();
        return implNames.contains(ALL) ? Apis.all() : Implementations.named(spec, implNames);
    }

    /** Column titles laid out as {@link Geometries#describe} lays out its values. */
    private static String header() {
        return String.format(Locale.ROOT, "%-16s %-4s %-2s %-14s %-15s %-32s %s", "NAME", "PAGE",
                "VA", "INDEX BITS", "LEAVES ABOVE 0", "CONTIGUOUS RUNS", "FORMAT");
    }

    private static String columns(List<PageTableOps> impls) {
        StringBuilder sb = new StringBuilder();
        for (PageTableOps ops : impls) sb.append(String.format(Locale.ROOT, "  %-7s", ops.name()));
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return String.format(Locale.ROOT, "%-" + width + "s", s);
    }
}
