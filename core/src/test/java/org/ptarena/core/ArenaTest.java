package org.ptarena.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

class ArenaTest {

    @Test
    void tablesAreAlignedToTheirOwnSizeAndZeroed() {
        Arena a = new Arena(64);
        Set<Integer> seen = new HashSet<>();
        int[] classes = {1, 13, 2, 9, 11, 5, 9, 1, 13};
        for (int c : classes) {
            int p = a.alloc(c, 0);
            assertEquals(0, p & ((1 << c) - 1), "class " + c + " at " + p);
            for (int i = 0; i < (1 << c); i++) assertEquals(0L, a.get(p + i));
            for (int i = 0; i < (1 << c); i++) a.set(p + i, -1L);
            assertTrue(seen.add(p));
        }
    }

    @Test
    void freedTablesAreReusedZeroed() {
        Arena a = new Arena();
        int p = a.alloc(9, 0);
        a.set(p + 7, 42);
        a.free(p);
        int q = a.alloc(9, 1);
        assertEquals(p, q, "the free list gives it back");
        assertEquals(0L, a.get(q + 7));
        assertEquals(1, a.levelOf(q));
        assertThrows(IllegalStateException.class, () -> a.free(q + 2), "not a table start");
    }

    @Test
    void mmCountsTablesAndBytesPerLevel() {
        Arena a = new Arena();
        Mm mm = new Mm(Geometries.X86_PAE, a);
        assertEquals(1, mm.tables(2));
        assertEquals(32, mm.tableBytes(), "the PAE root is 4 entries");
        int pd = mm.allocTable(1);
        mm.allocTable(0);
        assertEquals(1, mm.tables(1));
        assertEquals(32 + 4096 + 4096, mm.tableBytes());
        mm.freeTable(pd, 1);
        assertEquals(0, mm.tables(1));
        assertThrows(IllegalStateException.class, () -> mm.freeTable(mm.root(), 2));
    }

    @Test
    void faultInjectionFailsTheNthAllocationOnceAndChangesNothing() {
        Arena a = new Arena();
        Mm mm = new Mm(Geometries.X86_64_4LEVEL, a);
        a.failAfter(3);
        mm.allocTable(2);
        mm.allocTable(1);
        long before = a.allocations();
        assertThrows(OutOfTablesException.class, () -> mm.allocTable(0));
        assertEquals(before, a.allocations());
        assertEquals(0, mm.tables(0), "a failed allocation is not counted");
        mm.allocTable(0); // disarmed after firing
        assertEquals(1, mm.tables(0));
    }

    @Test
    void auditFindsLeakedDoublyLinkedAndMislevelledTables() {
        Arena a = new Arena();
        Mm mm = new Mm(Geometries.X86_64_4LEVEL, a);
        EntryFormat f = mm.format();
        int pdpt = mm.allocTable(2);
        mm.set(mm.root(), f.makeTable(3, pdpt));
        assertEquals(List.of(), a.audit(List.of(mm)));
        int leaked = mm.allocTable(1);
        List<String> p = a.audit(List.of(mm));
        assertEquals(1, p.size(), p.toString());
        assertTrue(
                p.get(0).contains("leaked") && p.get(0).contains(Integer.toHexString(leaked)),
                p.get(0));
        mm.set(pdpt, f.makeTable(2, leaked));
        mm.set(pdpt + 1, f.makeTable(2, leaked));
        p = a.audit(List.of(mm));
        assertTrue(p.stream().anyMatch(s -> s.contains("linked 2 times")), p.toString());
        mm.set(pdpt + 1, 0);
        int wrong = mm.allocTable(0);
        mm.set(pdpt + 2, f.makeTable(2, wrong));
        p = a.audit(List.of(mm));
        assertTrue(p.stream().anyMatch(s -> s.contains("level-1 table expected")), p.toString());
    }

    @Test
    void sharedArenaAuditsSeveralSpaces() {
        Arena a = new Arena();
        Mm m1 = new Mm(Geometries.ARM64_4K_48, a);
        Mm m2 = new Mm(Geometries.ARM64_4K_48, a);
        assertNotEquals(m1.root(), m2.root());
        assertEquals(List.of(), a.audit(List.of(m1, m2)));
        assertEquals(1, a.audit(List.of(m1)).size(), "m2's root is unreachable from m1");
    }
}
