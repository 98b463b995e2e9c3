package org.ptarena.core.strace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The log reader on real strace 6.1 output (excerpts of workloads/strace and of tests' runs). */
class StraceLogTest {

    private static StraceLog parse(String text) {
        return StraceLog.parse("t.strace", text, false);
    }

    private static StraceLog.Call call(StraceLog log, int i) {
        return (StraceLog.Call) log.events().get(i);
    }

    @Test
    void readsACompleteCallWithPidArgumentsAndResult() {
        StraceLog log = parse("29889 mmap(NULL, 8192, PROT_READ|PROT_WRITE,"
                + " MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f076514c000\n");
        StraceLog.Call c = call(log, 0);
        assertEquals(29889, c.pid());
        assertEquals(1, c.line());
        assertEquals("mmap", c.name());
        assertEquals(List.of("NULL", "8192", "PROT_READ|PROT_WRITE", "MAP_PRIVATE|MAP_ANONYMOUS",
                "-1", "0"), c.args());
        assertEquals(0x7f076514c000L, c.value());
        assertFalse(c.failed());
    }

    @Test
    void splitsArgumentsOutsideStringsCommentsBracketsAndFdPaths() {
        StraceLog log = parse(String.join("\n",
                "29899 execve(\"/usr/bin/as\", [\"as\", \"--64\", \"-o\", \"t.o\"], 0x36c8bd30"
                        + " /* 39 vars, a, b */) = -1 ENOENT (No such file or directory)",
                "29889 mmap(NULL, 1974096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE,"
                        + " 3</usr/lib/x86_64-linux-gnu/libc.so.6>, 0) = 0x7f0764f60000",
                "29913 clone3({flags=CLONE_VM|CLONE_FS|CLONE_THREAD, child_tid=0x7f52ca31f990,"
                        + " exit_signal=0, stack=0x7f52ca2e0000, stack_size=0x3ef80} =>"
                        + " {parent_tid=[29914]}, 88) = 29914",
                "1 write(1, \"a, (b) \\\" c\", 9) = 9"));
        assertEquals(List.of("\"/usr/bin/as\"", "[\"as\", \"--64\", \"-o\", \"t.o\"]",
                "0x36c8bd30 /* 39 vars, a, b */"), call(log, 0).args());
        assertTrue(call(log, 0).failed());
        assertEquals("3</usr/lib/x86_64-linux-gnu/libc.so.6>", call(log, 1).args().get(4));
        assertEquals(2, call(log, 2).args().size());
        assertEquals(29914, call(log, 2).value());
        assertEquals(3, call(log, 3).args().size());
    }

    @Test
    void joinsUnfinishedAndResumedCallsWherePidsInterleave() {
        StraceLog log = parse(String.join("\n",
                "29889 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID"
                        + "|SIGCHLD <unfinished ...>",
                "29892 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0"
                        + " <unfinished ...>",
                "29890 mmap(NULL, 1974096, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE,"
                        + " 3</usr/lib/x86_64-linux-gnu/libc.so.6>, 0) = 0x7fa68fbf0000",
                "29889 <... clone resumed>, child_tidptr=0x7f0764f5da10) = 29893",
                "29892 <... mmap resumed>)               = 0x7faf2db2e000",
                "27892 vfork( <unfinished ...>",
                "27892 <... vfork resumed>)              = 27898"));
        assertEquals(4, log.events().size());
        assertEquals(29890, call(log, 0).pid(), "ordered where calls complete");
        StraceLog.Call clone = call(log, 1);
        assertEquals(4, clone.line());
        assertEquals(List.of("child_stack=NULL",
                "flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD",
                "child_tidptr=0x7f0764f5da10"), clone.args());
        assertEquals(29893, clone.value());
        assertEquals(6, call(log, 2).args().size());
        assertEquals(List.of(), call(log, 3).args(), "vfork( ) has no arguments");
        assertEquals(0, log.dropped());
    }

    @Test
    void readsExitsSignalsNotesCommentsAndPrefixes() {
        StraceLog log = parse(String.join("\n",
                "# recorded with strace -f",
                "strace: Process 29890 attached",
                "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000",
                "[pid 29890] 12:00:01.123456 munmap(0x7f0000000000, 4096) = 0 <0.000012>",
                "29891 1700000000.000001 brk(NULL) = 0x563377c0f000",
                "29892      0.000123 [00007f1234567890] brk(NULL) = 0x563b2704d000",
                "29914 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---",
                "29924 exit(0)                           = ?",
                "29924 +++ exited with 0 +++",
                "29925 +++ killed by SIGKILL (core dumped) +++",
                "29926 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0"
                        + " <unfinished ...>",
                "29926 +++ killed by SIGKILL +++",
                ""));
        assertEquals(List.of("recorded with strace -f"), log.header());
        assertEquals(1, log.notes());
        assertEquals(1, log.signals());
        assertEquals(0, call(log, 0).pid(), "no prefix: the first process");
        assertEquals(29890, call(log, 1).pid());
        assertEquals("0", call(log, 1).result(), "-T timing dropped");
        assertEquals(0x563377c0f000L, call(log, 2).value());
        assertEquals(0x563b2704dL << 12, call(log, 3).value());
        assertTrue(call(log, 4).failed(), "= ? has no result");
        assertEquals(new StraceLog.Exit(9, 29924, "exited with 0"), log.events().get(5));
        assertEquals("killed by SIGKILL (core dumped)",
                ((StraceLog.Exit) log.events().get(6)).how());
        assertEquals(1, log.dropped(), "the call its process never finished");
    }

    @Test
    void garbageNamesItsLineUnlessLenient() {
        String text = "29889 brk(NULL) = 0x55630e3bf000\nthis is not strace output\n"
                + "29889 mmap(NULL, 8192\n29889 brk(NULL) = 0x55630e3bf000\n";
        StraceFormatException e = assertThrows(StraceFormatException.class, () -> parse(text));
        assertTrue(e.getMessage().startsWith("t.strace:2: cannot read: this is not strace"
                + " output — expected"), e.getMessage());
        assertEquals(2, e.line());
        StraceLog lenient = StraceLog.parse("t.strace", text, true);
        assertEquals(List.of(2, 3), lenient.garbage());
        assertEquals(2, lenient.events().size());
    }

    @Test
    void aResumptionWithoutItsStartIsDroppedAndOneOfAnotherCallIsAnError() {
        StraceLog log = parse("29897 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}],"
                + " 0, NULL) = 29898\n");
        assertEquals(List.of(), log.events(), "the log began in the middle of the call");
        assertEquals(1, log.dropped());
        StraceFormatException e = assertThrows(StraceFormatException.class,
                () -> parse("29892 munmap(0x7faf2db2e000, 4096 <unfinished ...>\n"
                        + "29892 <... mmap resumed>) = 0x7faf2db2e000\n"));
        assertTrue(e.getMessage().startsWith("t.strace:2: resumed mmap while pid 29892 has munmap"
                + " unfinished"), e.getMessage());
    }
}
