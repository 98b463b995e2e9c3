package org.ptarena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting non-blank, non-comment lines, and finding the checkout whose designs are counted. */
class CodeSizeTest {
    @TempDir Path dir;

    @Test void commentsAndBlankLinesDoNotCount() {
        assertEquals(0, CodeSize.countLines(""));
        assertEquals(0, CodeSize.countLines("\n\n   \n// only a comment\n/* a\n block */\n/** doc "
                + "*/\n"));
        assertEquals(1, CodeSize.countLines("int a; // trailing"));
        assertEquals(2, CodeSize.countLines("int a; /* starts\n still */ int b;\n"));
        assertEquals(1, CodeSize.countLines("/* c */ int a; /* d */"));
    }

    @Test void stringsAndCharsThatLookLikeCommentsAreCode() {
        assertEquals(1, CodeSize.countLines("String s = \"// not a comment\";"));
        assertEquals(1, CodeSize.countLines("String s = \"/* not a comment */\";"));
        assertEquals(2, CodeSize.countLines("char c = '\"'; // a quote in a char\nint x;"));
        assertEquals(1, CodeSize.countLines("String s = \"a \\\" b // c\";"));
        assertEquals(4, CodeSize.countLines("String t = \"\"\"\n    // in a text block\n    "
                + "\"\"\";\nint y;"));
    }

    @Test void fixtureCheckoutCountsPerOperationAndPrimitives() throws Exception {
        CodeSize c = CodeSize.count(Fixtures.CHECKOUT);
        assertNull(c.absent());
        assertEquals(List.of("legacy", "vpte"), c.apis());
        assertEquals(10, c.lines("legacy", "map"));
        assertEquals(-1, c.lines("legacy", "walk"));
        assertEquals(4, c.primitives("legacy"), "Levels.java; package-info.java is not counted");
        assertEquals(14, c.total("legacy"));
        assertEquals(6, c.lines("vpte", "walk"));
        assertEquals(2, c.primitives("vpte"));
        assertEquals(List.of("map", "walk"), c.operations());
        assertEquals("api-legacy/src/main/java/org/example/legacy/Levels.java", c.files().get(0)
                .path());
    }

    @Test void moduleNamesMapToImplementationNames() {
        assertEquals("legacy", CodeSize.apiName("api-legacy"));
        assertEquals("vpte", CodeSize.apiName("api-vpte-iter"));
        assertEquals("ptptr", CodeSize.apiName("api-ptptr"));
        assertEquals("other", CodeSize.apiName("api-other"));
    }

    @Test void locateWalksUpToTheCheckout() throws Exception {
        Path deep = Fixtures.CHECKOUT.resolve("api-legacy/src/main/java/org/example");
        assertEquals(Fixtures.CHECKOUT.toAbsolutePath().normalize(),
                CodeSize.locate(List.of(deep)));
        assertNull(CodeSize.locate(List.of(dir)));
        Files.createDirectories(dir.resolve("api-x/src/main/java"));
        assertNotNull(CodeSize.locate(List.of(dir)));
    }

    @Test void noModulesMeansNotFound() throws Exception {
        CodeSize c = CodeSize.count(dir);
        assertNotNull(c.absent());
        assertEquals(List.of(), c.apis());
    }
}
