package org.ptarena.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The catalog of real paging layouts, each with the manual or kernel header its facts come from,
 * and generic layouts named by their shape ({@code generic/PAGESHIFT/LEVELS}, see {@link
 * #parseGeneric}) so that random property-test layouts can be written into traces.
 */
public final class Geometries {
    private static final LinkedHashMap<String, Geometry> CATALOG = new LinkedHashMap<>();

    private Geometries() {}

    private static Geometry add(Geometry g) {
        CATALOG.put(g.name(), g);
        return g;
    }

    private static final EntryFormat X86 = X86Format.INSTANCE;
    private static final EntryFormat ARM64 = Arm64Format.INSTANCE;
    private static final EntryFormat RISCV = RiscvFormat.INSTANCE;
    private static final EntryFormat POWER = PowerFormat.INSTANCE;
    private static final EntryFormat GENERIC = GenericFormat.INSTANCE;

    /**
     * x86-64 4-level, 4K pages; 1G (PDPTE.PS) and 2M (PDE.PS) leaves. Intel SDM Vol. 3A §4.5, Fig.
     * 4-8..4-10.
     */
    public static final Geometry X86_64_4LEVEL =
            add(
                    Geometry.named("x86-64/4level", X86)
                            .pageShift(12)
                            .level("PML4", 9)
                            .level("PDPT", 9)
                            .leaf()
                            .level("PD", 9)
                            .leaf()
                            .level("PT", 9)
                            .build());

    /**
     * x86-64 5-level (LA57), 4K pages. Intel SDM Vol. 3A §4.5; kernel
     * Documentation/arch/x86/x86_64/5level-paging.rst.
     */
    public static final Geometry X86_64_5LEVEL =
            add(
                    Geometry.named("x86-64/5level", X86)
                            .pageShift(12)
                            .level("PML5", 9)
                            .level("PML4", 9)
                            .level("PDPT", 9)
                            .leaf()
                            .level("PD", 9)
                            .leaf()
                            .level("PT", 9)
                            .build());

    /** x86 PAE, 32-bit addresses, 4-entry PDPT, 2M leaves. Intel SDM Vol. 3A §4.4 "PAE Paging". */
    public static final Geometry X86_PAE =
            add(
                    Geometry.named("x86/pae", X86)
                            .pageShift(12)
                            .level("PDPT", 2)
                            .level("PD", 9)
                            .leaf()
                            .level("PT", 9)
                            .build());

    /**
     * arm64 4K granule, 39-bit VA (3 levels from L1). Arm ARM D8.2; contiguous runs of 16 at L2 and
     * L3 (D8.6.1, Table D8-98).
     */
    public static final Geometry ARM64_4K_39 =
            add(
                    Geometry.named("arm64/4k-39", ARM64)
                            .pageShift(12)
                            .level("L1", 9)
                            .leaf()
                            .level("L2", 9)
                            .contig(16)
                            .level("L3", 9)
                            .contig(16)
                            .build());

    /**
     * arm64 4K granule, 48-bit VA (L0..L3). Arm ARM D8.2; kernel
     * arch/arm64/include/asm/pgtable-hwdef.h CONT_PTES/CONT_PMDS.
     */
    public static final Geometry ARM64_4K_48 =
            add(
                    Geometry.named("arm64/4k-48", ARM64)
                            .pageShift(12)
                            .level("L0", 9)
                            .level("L1", 9)
                            .leaf()
                            .level("L2", 9)
                            .contig(16)
                            .level("L3", 9)
                            .contig(16)
                            .build());

    /** arm64 4K granule, 52-bit VA with FEAT_LPA2 (level -1 with 4 bits). Arm ARM D8.2.6. */
    public static final Geometry ARM64_4K_52 =
            add(
                    Geometry.named("arm64/4k-52", ARM64)
                            .pageShift(12)
                            .level("L-1", 4)
                            .level("L0", 9)
                            .level("L1", 9)
                            .leaf()
                            .level("L2", 9)
                            .contig(16)
                            .level("L3", 9)
                            .contig(16)
                            .build());

    /**
     * arm64 16K granule, 48-bit VA: 1,11,11,11; 32M blocks at L2; contiguous PTE×128 (2M), PMD×32
     * (1G). Arm ARM Table D8-98.
     */
    public static final Geometry ARM64_16K_48 =
            add(
                    Geometry.named("arm64/16k-48", ARM64)
                            .pageShift(14)
                            .level("L0", 1)
                            .level("L1", 11)
                            .level("L2", 11)
                            .contig(32)
                            .level("L3", 11)
                            .contig(128)
                            .build());

    /**
     * arm64 64K granule, 42-bit VA: 13,13; 512M blocks at L2; contiguous PTE×32 (2M), PMD×32 (16G).
     * Arm ARM Table D8-98.
     */
    public static final Geometry ARM64_64K_42 =
            add(
                    Geometry.named("arm64/64k-42", ARM64)
                            .pageShift(16)
                            .level("L2", 13)
                            .contig(32)
                            .level("L3", 13)
                            .contig(32)
                            .build());

    /** arm64 64K granule, 48-bit VA: 6,13,13. Arm ARM D8.2. */
    public static final Geometry ARM64_64K_48 =
            add(
                    Geometry.named("arm64/64k-48", ARM64)
                            .pageShift(16)
                            .level("L1", 6)
                            .level("L2", 13)
                            .contig(32)
                            .level("L3", 13)
                            .contig(32)
                            .build());

    /**
     * RISC-V Sv39: 9,9,9; 1G and 2M megapages; Svnapot 64K (16 PTEs). Privileged spec §4.4, Svnapot
     * ch.
     */
    public static final Geometry RISCV_SV39 =
            add(
                    Geometry.named("riscv/sv39", RISCV)
                            .pageShift(12)
                            .level("VPN2", 9)
                            .leaf()
                            .level("VPN1", 9)
                            .leaf()
                            .level("VPN0", 9)
                            .contig(16)
                            .build());

    /**
     * RISC-V Sv48: leaves at every level above the bottom, 512G at the root. Privileged spec §4.5.
     */
    public static final Geometry RISCV_SV48 =
            add(
                    Geometry.named("riscv/sv48", RISCV)
                            .pageShift(12)
                            .level("VPN3", 9)
                            .leaf()
                            .level("VPN2", 9)
                            .leaf()
                            .level("VPN1", 9)
                            .leaf()
                            .level("VPN0", 9)
                            .contig(16)
                            .build());

    /** RISC-V Sv57: 256T leaves at the root. Privileged spec §4.6. */
    public static final Geometry RISCV_SV57 =
            add(
                    Geometry.named("riscv/sv57", RISCV)
                            .pageShift(12)
                            .level("VPN4", 9)
                            .leaf()
                            .level("VPN3", 9)
                            .leaf()
                            .level("VPN2", 9)
                            .leaf()
                            .level("VPN1", 9)
                            .leaf()
                            .level("VPN0", 9)
                            .contig(16)
                            .build());

    /**
     * POWER radix, 4K pages: 13,9,9,9 (52-bit). Power ISA v3.0B Book III §5.7.10; kernel
     * book3s/64/radix-4k.h.
     */
    public static final Geometry POWER_RADIX_4K =
            add(
                    Geometry.named("power/radix-4k", POWER)
                            .pageShift(12)
                            .level("PGD", 13)
                            .level("PUD", 9)
                            .leaf()
                            .level("PMD", 9)
                            .leaf()
                            .level("PTE", 9)
                            .build());

    /**
     * POWER radix, 64K pages: 13,9,9,5 (52-bit). Power ISA v3.0B Book III §5.7.10; kernel
     * book3s/64/radix-64k.h.
     */
    public static final Geometry POWER_RADIX_64K =
            add(
                    Geometry.named("power/radix-64k", POWER)
                            .pageShift(16)
                            .level("PGD", 13)
                            .level("PUD", 9)
                            .leaf()
                            .level("PMD", 9)
                            .leaf()
                            .level("PTE", 5)
                            .build());

    /** A sixth level no hardware has yet: 6,9,9,9,9,9 (63-bit), 512G/1G/2M leaves, PTE×16. */
    public static final Geometry FUTURE_6LEVEL =
            add(
                    Geometry.named("future/6level", GENERIC)
                            .pageShift(12)
                            .level("L5", 6)
                            .level("L4", 9)
                            .level("L3", 9)
                            .leaf()
                            .level("L2", 9)
                            .leaf()
                            .level("L1", 9)
                            .leaf()
                            .level("L0", 9)
                            .contig(16)
                            .build());

    /** The catalog, in the architecture's order. */
    public static List<Geometry> catalog() {
        return Collections.unmodifiableList(new ArrayList<>(CATALOG.values()));
    }

    /**
     * A catalog layout by name, or a generic layout by its shape; anything else fails with the list
     * of names.
     */
    public static Geometry byName(String name) {
        Geometry g = CATALOG.get(name);
        if (g != null) return g;
        if (name.startsWith("generic/")) return parseGeneric(name);
        throw new IllegalArgumentException(
                "unknown geometry '"
                        + name
                        + "' — expected one of "
                        + String.join(", ", CATALOG.keySet())
                        + ", or generic/PAGESHIFT/LEVELS such as generic/12/9,9L,9Lc16");
    }

    /**
     * Parses {@code generic/PAGESHIFT/LEVELS}: levels root first, comma separated, each its index
     * bits, then {@code L} if it may hold a leaf, then {@code cN} for contiguous runs of N.
     * Example: {@code generic/12/6,9L,9Lc16}.
     */
    public static Geometry parseGeneric(String name) {
        String[] parts = name.split("/", -1);
        if (parts.length != 3)
            throw new IllegalArgumentException(
                    "geometry '" + name + "' — expected generic/PAGESHIFT/LEVELS");
        Geometry.Builder b;
        try {
            b = Geometry.named(name, GENERIC).pageShift(Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "geometry '" + name + "': page shift '" + parts[1] + "' is not a number");
        }
        String[] levels = parts[2].split(",", -1);
        for (int i = 0; i < levels.length; i++) {
            String s = levels[i];
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("(\\d+)(L)?(?:c(\\d+))?").matcher(s);
            if (!m.matches())
                throw new IllegalArgumentException(
                        "geometry '"
                                + name
                                + "': level '"
                                + s
                                + "' — expected BITS[L][cN] such as 9Lc16");
            b.level("G" + (levels.length - 1 - i), Integer.parseInt(m.group(1)));
            if (m.group(2) != null) b.leaf();
            if (m.group(3) != null) {
                if (m.group(2) == null && i != levels.length - 1) {
                    throw new IllegalArgumentException(
                            "geometry '"
                                    + name
                                    + "': level '"
                                    + s
                                    + "' has contiguous runs but may not hold a leaf");
                }
                b.contig(Integer.parseInt(m.group(3)));
            }
        }
        return b.build();
    }

    /** The canonical generic name of a layout's shape (format aside). */
    public static String genericName(
            int pageShift, int[] bitsRootFirst, boolean[] leafRootFirst, int[] contigRootFirst) {
        StringBuilder sb = new StringBuilder("generic/").append(pageShift).append('/');
        for (int i = 0; i < bitsRootFirst.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(bitsRootFirst[i]);
            boolean last = i == bitsRootFirst.length - 1;
            if (leafRootFirst[i] && !last) sb.append('L');
            if (contigRootFirst[i] > 1) sb.append('c').append(contigRootFirst[i]);
        }
        return sb.toString();
    }

    /**
     * A random generic layout: 1–6 levels, 1–13 bits a level, any leaf and contiguous pattern, at
     * most 63 virtual-address bits.
     */
    public static Geometry random(SplittableRandom rnd) {
        int levels = 1 + rnd.nextInt(6);
        int pageShift = 12;
        int[] bits = new int[levels];
        boolean[] leaf = new boolean[levels];
        int[] contig = new int[levels];
        int va = pageShift;
        for (int i = 0; i < levels; i++) {
            int room = 63 - va - (levels - 1 - i);
            bits[i] = 1 + rnd.nextInt(Math.min(13, Math.max(1, room)));
            va += bits[i];
            boolean last = i == levels - 1;
            leaf[i] = last || rnd.nextInt(3) > 0;
            contig[i] = 1;
            if (leaf[i] && bits[i] > 1 && rnd.nextInt(3) == 0)
                contig[i] = 1 << (1 + rnd.nextInt(Math.min(bits[i], 5)));
        }
        return parseGeneric(genericName(pageShift, bits, leaf, contig));
    }

    /** One line per layout for {@code ptarena geometries}. */
    public static String describe(Geometry g) {
        StringBuilder leaves = new StringBuilder();
        StringBuilder runs = new StringBuilder();
        for (int lvl = g.rootLevel(); lvl >= 0; lvl--) {
            if (lvl > 0 && g.leafAllowed(lvl))
                leaves.append(leaves.length() == 0 ? "" : ",").append(size(g.span(lvl)));
            if (g.contig(lvl) > 1) {
                runs.append(runs.length() == 0 ? "" : ",")
                        .append(g.levelName(lvl))
                        .append('x')
                        .append(g.contig(lvl))
                        .append('(')
                        .append(size(g.span(lvl) * g.contig(lvl)))
                        .append(')');
            }
        }
        return String.format(
                Locale.ROOT,
                "%-16s %-4s %-2d %-14s %-15s %-32s %s",
                g.name(),
                size(g.pageSize()),
                g.vaBits(),
                g.bitsString(),
                leaves.length() == 0 ? "-" : leaves,
                runs.length() == 0 ? "-" : runs,
                g.format().name());
    }

    /** A byte count as K, M, G, T, P or E when exact. */
    public static String size(long bytes) {
        String[] units = {"", "K", "M", "G", "T", "P", "E"};
        int u = 0;
        while (u < units.length - 1 && bytes != 0 && (bytes & 1023) == 0) {
            bytes >>>= 10;
            u++;
        }
        return Long.toUnsignedString(bytes) + units[u];
    }
}
