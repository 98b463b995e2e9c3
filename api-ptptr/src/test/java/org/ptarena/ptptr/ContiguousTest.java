package org.ptarena.ptptr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ptarena.ptptr.Fixture.K;
import static org.ptarena.ptptr.Fixture.M;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptarena.core.Geometries;
import org.ptarena.core.MapPolicy;
import org.ptarena.core.Mm;
import org.ptarena.core.Prot;
import org.ptarena.core.TlbGather;
import org.ptarena.core.Translation;
import org.ptarena.ptptr.Fixture.Unit;

/** Contiguous runs: one unit, A/D ORed over the run, unfolded when covered in part. */
class ContiguousTest {
    private static final int RW_U = Prot.R | Prot.W | Prot.U;
    private static final int R_U = Prot.R | Prot.U;
    private final Fixture fx = new Fixture();

    @Test
    void partialProtectUnfoldsA64kPteRunAndEveryEntryGetsTheOredDirtyBit() {
        Mm mm = fx.mm(Geometries.ARM64_4K_48);
        assertEquals(16, fx.ops.map(mm, 0x10000, 0x20000, 0x100, RW_U, MapPolicy.LARGEST));
        assertEquals(List.of(new Unit(0x10000, 4, 0, 0x100, RW_U, true, true, false)),
                fx.units(mm));
        assertTrue(fx.ops.touch(mm, 0x15000, true));
        assertEquals(List.of(new Unit(0x10000, 4, 0, 0x100, RW_U, true, true, true)), fx.units(mm));
        Translation t = new Translation();
        assertTrue(fx.ops.lookup(mm, 0x10010, t));
        assertEquals(0x100, t.pfn);
        assertEquals(0x100010, t.phys);
        assertEquals(4, t.order);
        assertTrue(t.dirty, "lookup ORs dirty over the run");

        TlbGather tlb = new TlbGather();
        assertEquals(1, fx.ops.protect(mm, 0x10000, 0x11000, R_U, tlb));
        assertEquals(1, tlb.levels());
        assertEquals(0x10000, tlb.start());
        assertEquals(0x20000, tlb.end(), "the unfold flushes the whole run");
        List<Unit> units = fx.units(mm);
        assertEquals(16, units.size());
        assertEquals(new Unit(0x10000, 0, 0, 0x100, R_U, false, true, true), units.get(0));
        for (int i = 1; i < 16; i++) {
            assertEquals(new Unit(0x10000 + i * 4 * K, 0, 0, 0x100 + i, RW_U, false, true, true),
                    units.get(i));
        }
        fx.audit(mm);
    }

    @Test
    void youngIsOredOverARunAndGivenToEveryEntryOnUnfold() {
        Mm src = fx.mm(Geometries.ARM64_4K_48);
        Mm dst = fx.mm(Geometries.ARM64_4K_48);
        fx.ops.map(src, 0x10000, 0x20000, 0x100, RW_U, MapPolicy.LARGEST);
        assertEquals(16, fx.ops.copy(dst, src, 0x10000, 0x20000, false, new TlbGather()));
        assertEquals(List.of(new Unit(0x10000, 4, 0, 0x100, RW_U, true, false, false)),
                fx.units(dst), "copy makes the run old");
        assertTrue(fx.ops.touch(dst, 0x13000, false));
        assertEquals(List.of(new Unit(0x10000, 4, 0, 0x100, RW_U, true, true, false)),
                fx.units(dst));

        assertEquals(1, fx.ops.unmap(dst, 0x1f000, 0x20000, false, new TlbGather()));
        List<Unit> units = fx.units(dst);
        assertEquals(15, units.size());
        for (Unit u : units) assertTrue(u.young() && !u.contig(), u.toString());
    }

    @Test
    void walkStartingInsideARunVisitsItOnceFromItsOwnStart() {
        Mm mm = fx.mm(Geometries.ARM64_4K_48);
        fx.ops.map(mm, 0x10000, 0x30000, 0x100, RW_U, MapPolicy.LARGEST);
        assertEquals(List.of(new Unit(0x10000, 4, 0, 0x100, RW_U, true, true, false),
                new Unit(0x20000, 4, 0, 0x110, RW_U, true, true, false)),
                fx.units(mm, 0x15000, 0x21000));
        assertEquals(1, fx.units(mm, 0x15000, 0x16000).size());
    }

    @Test
    void a32mPmdRunUnfoldsWhenOneBlockIsUnmappedAndSplitsBelowThat() {
        Mm mm = fx.mm(Geometries.ARM64_4K_48);
        fx.ops.map(mm, 32 * M, 64 * M, 0x2000, RW_U, MapPolicy.LARGEST);
        assertEquals(List.of(new Unit(32 * M, 13, 1, 0x2000, RW_U, true, true, false)),
                fx.units(mm));

        TlbGather tlb = new TlbGather();
        assertEquals(512, fx.ops.unmap(mm, 36 * M, 38 * M, false, tlb));
        assertEquals(0b10, tlb.levels());
        assertEquals(32 * M, tlb.start());
        assertEquals(64 * M, tlb.end());
        assertEquals(1, tlb.releasedCount());
        assertEquals(0x2000 + 1024, tlb.releasedPfn(0));
        assertEquals(9, tlb.releasedOrder(0));
        List<Unit> units = fx.units(mm);
        assertEquals(15, units.size());
        assertEquals(new Unit(38 * M, 9, 1, 0x2000 + 1536, RW_U, false, true, false), units.get(2));

        assertEquals(1, fx.ops.protect(mm, 32 * M + 4 * K, 32 * M + 8 * K, R_U, new TlbGather()));
        units = fx.units(mm);
        assertEquals(512 + 14, units.size());
        assertEquals(new Unit(32 * M + 4 * K, 0, 0, 0x2001, R_U, false, true, false), units.get(1));
        assertEquals(15L * 512, mm.rss());
        fx.audit(mm);
    }

    @Test
    void a2mPteRunOf128On16kPagesStaysContiguousWhenProtectedWhole() {
        Mm mm = fx.mm(Geometries.ARM64_16K_48);
        assertEquals(128, fx.ops.map(mm, 2 * M, 4 * M, 128, RW_U, MapPolicy.LARGEST));
        assertEquals(List.of(new Unit(2 * M, 7, 0, 128, RW_U, true, true, false)), fx.units(mm));

        TlbGather tlb = new TlbGather();
        assertEquals(128, fx.ops.protect(mm, 2 * M, 4 * M, R_U, tlb));
        assertEquals(List.of(new Unit(2 * M, 7, 0, 128, R_U, true, true, false)), fx.units(mm));
        assertEquals(2 * M, tlb.start());
        assertEquals(4 * M, tlb.end());
        TlbGather again = new TlbGather();
        assertEquals(0, fx.ops.protect(mm, 2 * M, 4 * M, R_U, again));
        assertTrue(again.isEmpty(), "a unit already at the prot is not flushed");

        assertEquals(1, fx.ops.protect(mm, 2 * M + 16 * K, 2 * M + 32 * K, RW_U, new TlbGather()));
        List<Unit> units = fx.units(mm);
        assertEquals(128, units.size());
        assertEquals(new Unit(2 * M + 16 * K, 0, 0, 129, RW_U, false, true, false), units.get(1));
        assertEquals(new Unit(2 * M + 32 * K, 0, 0, 130, R_U, false, true, false), units.get(2));
        fx.audit(mm);
    }
}
