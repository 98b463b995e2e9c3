package org.ptarena.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * Round trips of every format × level × prot × contiguous × accessed/dirty, and the kernel's {@code
 * debug_vm_pgtable} identities (mm/debug_vm_pgtable.c: pte_basic_tests and friends).
 */
class EntryFormatTest {
    static final List<EntryFormat> FORMATS =
            List.of(
                    X86Format.INSTANCE,
                    Arm64Format.INSTANCE,
                    RiscvFormat.INSTANCE,
                    PowerFormat.INSTANCE,
                    GenericFormat.INSTANCE);

    static List<Long> pfns(EntryFormat f) {
        return List.of(0L, 1L, 0x80000L, f.maxPfn() - 1, f.maxPfn());
    }

    @Test
    void everyLeafRoundTrips() {
        int checked = 0;
        for (EntryFormat f : FORMATS) {
            for (int level = 0; level < 6; level++) {
                for (int prot = 0; prot <= Prot.ALL; prot++) {
                    for (boolean contig :
                            f.hasContig() ? new boolean[] {false, true} : new boolean[] {false}) {
                        for (int ad = 0; ad < 4; ad++) {
                            for (long pfn : pfns(f)) {
                                boolean young = (ad & 1) != 0;
                                boolean dirty = (ad & 2) != 0;
                                long e = f.makeLeaf(level, pfn, prot, contig, young, dirty);
                                String what =
                                        f
                                                + " L"
                                                + level
                                                + " "
                                                + Prot.toString(prot)
                                                + " contig="
                                                + contig
                                                + " ad="
                                                + ad
                                                + " pfn="
                                                + pfn;
                                assertNotEquals(0L, e, what);
                                assertFalse(f.none(level, e), what);
                                assertTrue(f.present(level, e), what);
                                assertTrue(f.leaf(level, e), what);
                                assertFalse(f.table(level, e), what);
                                assertEquals(pfn, f.pfn(level, e), what);
                                assertEquals(f.normalise(prot), f.prot(level, e), what);
                                assertEquals(contig, f.contig(level, e), what);
                                assertEquals(young, f.young(level, e), what);
                                assertEquals(dirty, f.dirty(level, e), what);
                                // canonical: rebuilding from the decoded fields gives the same word
                                assertEquals(
                                        e,
                                        f.makeLeaf(
                                                level,
                                                f.pfn(level, e),
                                                f.prot(level, e),
                                                contig,
                                                young,
                                                dirty),
                                        what);
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked > 10_000, "checked " + checked);
    }

    @Test
    void debugVmPgtableIdentities() {
        for (EntryFormat f : FORMATS) {
            for (int level = 0; level < 5; level++) {
                for (int prot = 0; prot <= Prot.ALL; prot++) {
                    for (int ad = 0; ad < 4; ad++) {
                        long e =
                                f.makeLeaf(
                                        level, 0x1234, prot, false, (ad & 1) != 0, (ad & 2) != 0);
                        String what = f + " L" + level + " " + Prot.toString(prot) + " ad=" + ad;
                        assertTrue(f.young(level, f.mkyoung(level, f.mkold(level, e))), what);
                        assertFalse(f.young(level, f.mkold(level, f.mkyoung(level, e))), what);
                        assertTrue(f.dirty(level, f.mkdirty(level, f.mkclean(level, e))), what);
                        assertFalse(f.dirty(level, f.mkclean(level, f.mkdirty(level, e))), what);
                        assertEquals(
                                e,
                                f.withAccess(level, e, f.young(level, e), f.dirty(level, e)),
                                what);
                        // mkold/mkclean touch nothing but their bit
                        long old = f.mkold(level, e);
                        assertEquals(f.pfn(level, e), f.pfn(level, old), what);
                        assertEquals(f.prot(level, e), f.prot(level, old), what);
                        assertEquals(f.dirty(level, e), f.dirty(level, old), what);
                        long clean = f.mkclean(level, e);
                        assertEquals(f.prot(level, e), f.prot(level, clean), what);
                        assertEquals(f.young(level, e), f.young(level, clean), what);
                        // pte_mkwrite(pte_wrprotect(pte)) is writable again; wrprotect keeps A/D
                        long wp = f.wrprotect(level, e);
                        assertFalse(Prot.writable(f.prot(level, wp)), what);
                        assertEquals(f.young(level, e), f.young(level, wp), what);
                        assertEquals(f.dirty(level, e), f.dirty(level, wp), what);
                        if (!Prot.isNone(prot)) {
                            long w = f.withProt(level, wp, f.prot(level, wp) | Prot.W);
                            assertTrue(Prot.writable(f.prot(level, w)), what);
                            assertEquals(f.dirty(level, e), f.dirty(level, w), what);
                        }
                        if (f.hasContig()) {
                            long c = f.withContig(level, e, true);
                            assertTrue(f.contig(level, c), what);
                            assertEquals(e, f.withContig(level, c, false), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void tablesAreTablesAboveLevelZeroOnly() {
        for (EntryFormat f : FORMATS) {
            for (int level = 1; level < 6; level++) {
                for (int ptr : new int[] {0, 2, 4096, 0x7ffffffe}) {
                    long t = f.makeTable(level, ptr);
                    String what = f + " L" + level + " ptr=" + ptr;
                    assertNotEquals(0L, t, what);
                    assertTrue(f.table(level, t), what);
                    assertTrue(f.present(level, t), what);
                    assertFalse(f.leaf(level, t), what);
                    assertEquals(ptr, f.tablePtr(level, t), what);
                }
            }
        }
    }

    @Test
    void protNoneStaysPresentWithTheHardwareValidBitClear() {
        for (int level = 0; level < 4; level++) {
            long x86 = X86Format.INSTANCE.makeLeaf(level, 5, Prot.NONE);
            assertEquals(0L, x86 & X86Format.P, "x86 PAGE_NONE has P clear");
            assertTrue((x86 & X86Format.PROTNONE) != 0, "x86 PAGE_NONE has _PAGE_PROTNONE");
            long arm = Arm64Format.INSTANCE.makeLeaf(level, 5, Prot.NONE);
            assertEquals(0L, arm & Arm64Format.VALID, "arm64 PAGE_NONE has valid clear");
            assertTrue((arm & Arm64Format.PROT_NONE) != 0);
            long rv = RiscvFormat.INSTANCE.makeLeaf(level, 5, Prot.NONE);
            assertEquals(0L, rv & RiscvFormat.V, "riscv PAGE_NONE has V clear");
            for (EntryFormat f : FORMATS) {
                long e = f.makeLeaf(level, 5, Prot.U); // u alone is no access: PROT_NONE
                assertTrue(f.present(level, e) && f.leaf(level, e), f + " L" + level);
                assertEquals(Prot.NONE, f.prot(level, e), f + " L" + level);
            }
        }
    }

    @Test
    void levelDependentBitsSitWhereTheManualsPutThem() {
        X86Format x = X86Format.INSTANCE;
        assertEquals(
                0L,
                x.makeLeaf(0, 1, Prot.R | Prot.W | Prot.U) & X86Format.PS,
                "bit 7 is PAT at the PT level: left clear");
        assertTrue(
                (x.makeLeaf(1, 1, Prot.R) & X86Format.PS) != 0, "bit 7 is PS above the PT level");
        assertFalse(
                x.leaf(1, x.makeLeaf(0, 1, Prot.R)),
                "a PT-style entry read at PD level is a table pointer, not a leaf");
        Arm64Format a = Arm64Format.INSTANCE;
        assertTrue(
                (a.makeLeaf(0, 1, Prot.R) & Arm64Format.TABLE_OR_PAGE) != 0,
                "bit 1 = page at the last level");
        assertEquals(
                0L,
                a.makeLeaf(1, 1, Prot.R) & Arm64Format.TABLE_OR_PAGE,
                "bit 1 clear = block above it");
        assertTrue(
                a.table(1, a.makeLeaf(0, 1, Prot.R)),
                "a page descriptor read above the last level is a table descriptor");
        assertTrue(
                (a.makeLeaf(0, 1, Prot.R, true, true, false) & (1L << 52)) != 0,
                "contiguous bit 52");
        RiscvFormat r = RiscvFormat.INSTANCE;
        assertTrue(r.table(2, r.makeTable(2, 8)));
        assertEquals(RiscvFormat.V, r.makeTable(2, 0), "a pointer is V with R=W=X=0");
        assertTrue(
                (r.makeLeaf(0, 1, Prot.R, true, true, false) & (1L << 63)) != 0,
                "Svnapot N is bit 63");
        PowerFormat p = PowerFormat.INSTANCE;
        assertTrue((p.makeLeaf(0, 1, Prot.R) & (1L << 63)) != 0, "valid bit 63");
        assertTrue((p.makeLeaf(0, 1, Prot.R) & (1L << 62)) != 0, "leaf bit 62");
        assertEquals(
                0L, p.makeTable(1, 4) & (1L << 62), "a directory entry has the leaf bit clear");
    }

    @Test
    void protectionMapNormalisation() {
        for (EntryFormat f : FORMATS) {
            assertEquals(
                    Prot.R | Prot.W | Prot.U, f.normalise(Prot.W | Prot.U), f + ": w implies r");
            assertEquals(Prot.NONE, f.normalise(Prot.U), f + ": no access is PROT_NONE");
        }
        assertEquals(Prot.R | Prot.X, X86Format.INSTANCE.normalise(Prot.X), "x86: x implies r");
        assertEquals(
                Prot.R | Prot.X,
                Arm64Format.INSTANCE.normalise(Prot.X),
                "arm64 without PIE: x implies r");
        assertEquals(Prot.X, RiscvFormat.INSTANCE.normalise(Prot.X), "riscv: execute-only exists");
    }

    @Test
    void contiguousIsRefusedWhereTheFormatHasNoMarker() {
        assertThrows(
                IllegalArgumentException.class,
                () -> X86Format.INSTANCE.makeLeaf(0, 1, Prot.R, true, true, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> PowerFormat.INSTANCE.makeLeaf(0, 1, Prot.R, true, true, false));
    }

    @Test
    void protTextRoundTrips() {
        List<String> all = new ArrayList<>();
        for (int p = 0; p <= Prot.ALL; p++) {
            all.add(Prot.toString(p));
            assertEquals(p, Prot.parse(Prot.toString(p)));
        }
        assertEquals("rw-u", Prot.toString(Prot.parse("rw-u")));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Prot.parse("wr-u"));
        assertTrue(e.getMessage().contains("wr-u"), e.getMessage());
        assertEquals(16, all.stream().distinct().count());
    }
}
