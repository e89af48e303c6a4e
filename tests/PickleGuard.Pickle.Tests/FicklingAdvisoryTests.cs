using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests;

/// <summary>Published fickling bypasses (https://github.com/trailofbits/fickling/security), rebuilt opcode by opcode.</summary>
public sealed class FicklingAdvisoryTests
{
    [Fact]
    public void GHSA_r7v6_mfhq_g3m2_pty_spawn_hidden_behind_BUILD() =>
        AdvisoryAssert.Dangerous(Seq(Proto(4), Frame(26), Sbu("pty"), Memoize, Sbu("spawn"), Memoize, StackGlobal, Memoize, Sbu("id"), Memoize,
            Tuple1, Memoize, Reduce, Memoize, Sbu("gottem"), Memoize, Build, Stop), "pty.spawn");

    [Fact]
    public void PR108_pty_spawn_through_OBJ() =>
        AdvisoryAssert.Dangerous(Seq(Mark, Global("pty", "spawn"), String("id"), Obj, Stop), "pty.spawn");

    [Fact]
    public void GHSA_565g_hwwr_4pp3_marshal_loads_and_FunctionType()
    {
        var pickle = Seq(Proto(4), Frame(0), Sbu("marshal"), Sbu("loads"), StackGlobal, Memoize, BinGet(0), ShortBinBytes([0xe3, 0, 0]), Tuple1, Reduce, Memoize,
            Sbu("types"), Sbu("FunctionType"), StackGlobal, Memoize, BinGet(2), BinGet(1), EmptyDict, Tuple2, Reduce, Memoize, BinGet(3), EmptyTuple, Reduce, Memoize,
            Sbu("gottem"), Build, Stop);
        AdvisoryAssert.Dangerous(pickle, "marshal.loads");
        AdvisoryAssert.Dangerous(pickle, "types.FunctionType");
        AdvisoryAssert.Raises(pickle, PickleRules.ComputedCallable);
    }

    [Fact] public void GHSA_wfq2_52f7_7qvj_runpy_run_path() => AdvisoryAssert.Dangerous(Seq(Proto(5), Frame(46), Sbu("runpy"), Memoize, Sbu("run_path"), Memoize, StackGlobal, Memoize, Sbu("/tmp/malicious.py"), Memoize, Tuple1, Memoize, Reduce, Memoize, Stop), "runpy.run_path");
    [Fact] public void GHSA_p523_jq9w_64x9_cProfile_run() => AdvisoryAssert.Dangerous(Call4("cProfile", "run", "print('CPROFILE_RCE_CONFIRMED')"), "cProfile.run");

    [Fact]
    public void GHSA_q5qq_mvfm_j35x_importlib_via_getattr()
    {
        var pickle = Seq(Proto(5), Sbu("builtins"), Memoize, Sbu("getattr"), Memoize, StackGlobal, Memoize, Sbu("importlib"), Memoize, Sbu("import_module"), Memoize,
            StackGlobal, Memoize, Sbu("os"), Memoize, Tuple1, Memoize, Reduce, Memoize, Sbu("system"), Memoize, Tuple2, Memoize, Reduce, Memoize, Sbu("id"), Memoize, Tuple1, Reduce, Stop);
        AdvisoryAssert.Dangerous(pickle, "builtins.getattr");
        AdvisoryAssert.Dangerous(pickle, "importlib.import_module");
    }

    [Fact]
    public void GHSA_q5qq_mvfm_j35x_code_InteractiveInterpreter_via_getattr() =>
        AdvisoryAssert.Dangerous(Seq(Proto(5), Sbu("builtins"), Sbu("getattr"), StackGlobal, Sbu("code"), Sbu("InteractiveInterpreter"), StackGlobal, EmptyTuple, Reduce,
            Sbu("runsource"), Tuple2, Reduce, Sbu("import os; os.system(\"id\")"), Tuple1, Reduce, Stop), "code.InteractiveInterpreter");

    [Fact]
    public void GHSA_q5qq_mvfm_j35x_multiprocessing_util_spawnv_passfds() =>
        AdvisoryAssert.Dangerous(Seq(Proto(5), Frame(74), Sbu("multiprocessing.util"), Memoize, Sbu("spawnv_passfds"), Memoize, StackGlobal, Memoize,
            ShortBinBytes("/bin/sh"u8.ToArray()), Memoize, EmptyList, Memoize, Mark, BinGet(3), ShortBinBytes("-c"u8.ToArray()), Memoize, ShortBinBytes("id"u8.ToArray()), Memoize, Appends,
            EmptyTuple, Tuple3, Memoize, Reduce, Memoize, Stop), "multiprocessing.util.spawnv_passfds");

    [Fact]
    public void GHSA_5hvc_6wx8_mvv4_ctypes_CDLL_via_getattr() =>
        AdvisoryAssert.Dangerous(Seq(Proto(5), Sbu("builtins"), Sbu("getattr"), StackGlobal, Sbu("ctypes"), Sbu("CDLL"), StackGlobal, Sbu("libc.dylib"), Tuple1, Reduce,
            Sbu("system"), Tuple2, Reduce, ShortBinBytes("id"u8.ToArray()), Tuple1, Reduce, Stop), "ctypes.CDLL");

    [Fact] public void GHSA_5hvc_6wx8_mvv4_pydoc_locate() => AdvisoryAssert.Dangerous(Call4("pydoc", "locate", "os.system"), "pydoc.locate");

    [Fact]
    public void GHSA_h4rm_mm56_xf63_builtins_import_and_getattr_through_PUT_GET()
    {
        var pickle = Seq(Global("builtins", "__import__"), String("os"), Tuple1, Reduce, Put(0), Pop, Global("builtins", "getattr"), Get(0), String("system"), Tuple2, Reduce,
            Put(1), Pop, Get(1), String("whoami"), Tuple1, Reduce, Stop);
        AdvisoryAssert.Dangerous(pickle, "builtins.getattr");
        AdvisoryAssert.Dangerous(pickle, "builtins.__import__");
        AdvisoryAssert.Raises(pickle, PickleRules.ComputedCallable);
    }

    [Fact]
    public void GHSA_mxhj_88fx_4pcv_OBJ_call_discarded_by_POP() =>
        AdvisoryAssert.Dangerous(Seq(Proto(4), Mark, Sbu("smtplib"), Sbu("SMTP"), StackGlobal, Sbu("127.0.0.1"), Obj, Pop, None, Stop), "smtplib.SMTP");

    [Fact] public void GHSA_5hwf_rc88_82xm_uuid_get_command_stdout() => AdvisoryAssert.Dangerous(Call4("uuid", "_get_command_stdout", "echo", "PROOF_OF_CONCEPT"), "uuid._get_command_stdout");
    [Fact] public void GHSA_5hwf_rc88_82xm_aix_support_read_cmd_output() => AdvisoryAssert.Dangerous(Call4("_aix_support", "_read_cmd_output", "echo PROOF_OF_CONCEPT"), "_aix_support._read_cmd_output");
    [Fact] public void GHSA_5hwf_rc88_82xm_osx_support_find_build_tool() => AdvisoryAssert.Dangerous(Call4("_osx_support", "_find_build_tool", "x; echo INJECTED #"), "_osx_support._find_build_tool");

    [Fact]
    public void GHSA_5j3x_jp52_966f_dotted_attribute_through_stdlib_module() =>
        AdvisoryAssert.Dangerous(Seq(Proto(4), Sbu("pathlib"), Sbu("os.system"), StackGlobal, EmptyTuple, Reduce, Stop), "pathlib.os.system");

    [Fact]
    public void GHSA_cffv_grgg_g429_ast_parse_is_not_vetted() =>
        AdvisoryAssert.Raises(Seq(Proto(4), Sbu("ast"), Sbu("parse"), StackGlobal, Stop), PickleRules.UnvettedGlobal, "torch");

    [Theory]
    [InlineData("_interpreters")]
    [InlineData("_xxsubinterpreters")]
    public void GHSA_6ggj_6f2q_f7mx_subinterpreter_create(string module) =>
        AdvisoryAssert.Dangerous(Seq(Proto(4), Sbu(module), Sbu("create"), StackGlobal, EmptyTuple, Reduce, Stop), module + ".create");

    [Theory]
    [InlineData("_posixsubprocess", "fork_exec")]
    [InlineData("site", "addsitedir")]
    [InlineData("atexit", "register")]
    public void GHSA_m6fh_58r7_x697_posixsubprocess_site_atexit(string module, string name) =>
        AdvisoryAssert.Dangerous(Seq(Proto(4), Sbu(module), Sbu(name), StackGlobal, EmptyTuple, Reduce, Stop), module + "." + name);

    [Theory]
    [InlineData("smtplib", "SMTP", 25)]
    [InlineData("imaplib", "IMAP4", 143)]
    [InlineData("ftplib", "FTP", 21)]
    [InlineData("poplib", "POP3", 110)]
    [InlineData("telnetlib", "Telnet", 23)]
    [InlineData("nntplib", "NNTP", 119)]
    public void Network_protocol_ssrf_classes(string module, string cls, int port) =>
        AdvisoryAssert.Dangerous(Seq(Proto(4), Global(module, cls), Sbu("127.0.0.1"), BinInt2(port), Tuple2, Reduce, EmptyDict, Build, Stop), module + "." + cls);

    [Fact]
    public void GHSA_f7qq_56ww_84cr_asyncio_subprocess_transport() =>
        AdvisoryAssert.Dangerous(Seq(Proto(4), Frame(81), Sbu("asyncio.unix_events"), Memoize, Sbu("_UnixSubprocessTransport._start"), Memoize, StackGlobal, Memoize,
            Mark, EmptyDict, Memoize, Sbu("whoami"), Memoize, NewTrue, None, None, None, BinInt1(0), MarkTuple, Memoize, Reduce, Memoize, Stop), "asyncio.unix_events._UnixSubprocessTransport._start");

    [Fact]
    public void CPython_154848_frame_boundary_divergence_hides_GLOBAL_in_BINBYTES()
    {
        // BINBYTES declares 0x107 bytes inside a frame that holds 2: a file-based loader reads past the frame and
        // runs the GLOBAL/REDUCE that a linear reader sees as bytes data.
        var hidden = Seq(Global("os", "system"), Unicode("echo pwned"), Tuple1, Reduce, Mark);
        var padded = hidden.Concat(Enumerable.Repeat((byte)'N', 256 + 5 - hidden.Length)).ToArray();
        var pickle = Seq(Proto(5), None, Unicode(new string('a', (8192 * 16) - 17)), Pop, Mark, Frame(2), [(byte)'B', 0x07, 0x01, 0x00, 0x00], [0, 0], padded, PopMark, Stop);
        var result = Scan.Bytes(pickle);
        Assert.Contains(result.Findings, f => f.RuleCode == PickleRules.Malformed && f.Message.Contains("runs past the end of its FRAME", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Severity == Core.Severity.High && f.Callable == "os.system");
    }

    [Fact]
    public void Private_stdlib_allowlist_codecs_encode_is_clean_but_dotted_name_under_it_is_not()
    {
        Assert.Empty(Scan.Bytes(Seq(Proto(4), Sbu("_codecs"), Sbu("encode"), StackGlobal, Stop)).Findings);
        AdvisoryAssert.Raises(Seq(Proto(4), Sbu("_codecs"), Sbu("encode._ssl.RAND_bytes"), StackGlobal, Stop), PickleRules.UnvettedGlobal);
    }

    [Fact]
    public void Allowed_helper_that_calls_a_computed_argument_is_flagged()
    {
        // copyreg.__newobj__(<class computed by a call>) runs that class's __new__: the class never appears as a global.
        var pickle = Seq(Global("copy_reg", "__newobj__"), Mark, Global("mymodule", "factory"), EmptyTuple, Reduce, MarkTuple, Reduce, Stop);
        AdvisoryAssert.Raises(pickle, PickleRules.ComputedCallable);
        Assert.Empty(Scan.Bytes(Seq(Proto(2), Global("collections", "defaultdict"), Global("builtins", "list"), Tuple1, Reduce, Stop)).Findings);
        AdvisoryAssert.Raises(Seq(Proto(2), Global("collections", "defaultdict"), Global("builtins", "str"), EmptyTuple, Reduce, Tuple1, Reduce, Stop), PickleRules.ComputedCallable);
    }
}
