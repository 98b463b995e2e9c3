package org.ptarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapstatCommandTest {
    @TempDir Path tmp;

    /**
     * 32 present pages at a 64K-aligned address: pages 0–15 with consecutive, aligned pfns
     * (foldable), pages 16–31 present but with pfns out of order (present only).
     */
    static final String SNAP = String.join("\n",
            "# a hand-made snapshot",
            "snapshot 1", "arch x86_64", "page-shift 12", "pfns real",
            "vma 400000-420000 rw-p [heap]",
            " 0 10 1000",
            " 10 8 2008",
            " 18 8 2000",
            "");

    @Test void countsPresentAndFoldableBlocks() throws IOException {
        Path f = Files.writeString(tmp.resolve("hand.snap"), SNAP);
        Runs.Run r = Runs.run("snapstat", f.toString());
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r::toString);
        assertTrue(lines.get(0).matches("snapshot +VMAs +pages +runs +pfns +THP +64K present"
                + " +64K foldable +2M present +2M foldable"), r::toString);
        assertTrue(lines.get(1).matches("hand +1 +32 +3 +real +0\\.0% +100\\.0% +50\\.0% +0\\.0%"
                + " +0\\.0%"), r::toString);
    }

    @Test void manySnapshotsGetATotalAndMarkdownForAReport() throws IOException {
        Path a = Files.writeString(tmp.resolve("a.snap"), SNAP);
        Path b = Files.writeString(tmp.resolve("b.snap"), SNAP.replace("pfns real",
                "pfns synthetic"));
        Runs.Run r = Runs.run("snapstat", "--markdown", a.toString(), b.toString());
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                lines.get(1));
        assertEquals("| b | 1 | 32 | 3 | synthetic | 0.0% | 100.0% | n/a | 0.0% | n/a |",
                lines.get(3), "foldable means nothing with synthetic pfns");
        assertEquals("| all | 2 | 64 | 6 | synthetic | 0.0% | 100.0% | n/a | 0.0% | n/a |",
                lines.get(4));
    }

    @Test void aMalformedSnapshotExits2NamingItsLine() throws IOException {
        Path f = Files.writeString(tmp.resolve("bad.snap"), SNAP.replace(" 18 8 2000",
                " 18 9 2000"));
        Runs.Run r = Runs.run("snapstat", f.toString());
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().startsWith(f + ":9: run outside its vma"), r::toString);
    }
}
