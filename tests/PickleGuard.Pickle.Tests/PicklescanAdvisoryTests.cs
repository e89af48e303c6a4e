using static PickleGuard.Pickle.Tests.Asm;

namespace PickleGuard.Pickle.Tests;

/// <summary>
/// Published picklescan bypasses (https://github.com/mmaitre314/picklescan/security), each rebuilt opcode by opcode.
/// Names follow the advisory id; the payload shape follows the advisory's proof of concept.
/// </summary>
public sealed class PicklescanAdvisoryTests
{
    private const string Payload = "__import__('os').system('whoami')";

    [Fact]
    public void GHSA_9gvj_pp9x_gcfr_STRING_operands_for_STACK_GLOBAL() =>
        AdvisoryAssert.Dangerous(Seq(String("os"), String("system"), StackGlobal, String("ls"), Tuple1, Reduce, Stop), "os.system");

    [Fact]
    public void CTF_issue22_memo_overwrite_hides_STACK_GLOBAL_module() =>
        AdvisoryAssert.Dangerous(Seq(Proto(4), Sbu("numpy"), BinPut(0), Pop, Sbu("os"), BinPut(0), Pop, Sbu("system"), BinPut(1), Pop,
            BinGet(0), BinGet(1), StackGlobal, Sbu("id"), Tuple1, Reduce, Stop), "os.system");

    [Fact] public void GHSA_4r9r_ch6f_vxmx_torch_bottleneck_run_cprofile() => AdvisoryAssert.Dangerous(Call4("torch.utils.bottleneck.__main__", "run_cprofile", Payload), "torch.utils.bottleneck.__main__.run_cprofile", "torch");
    [Fact] public void GHSA_4whj_rm5r_c2v8_torch_bottleneck_run_autograd_prof() => AdvisoryAssert.Dangerous(Call4("torch.utils.bottleneck.__main__", "run_autograd_prof", Payload), "torch.utils.bottleneck.__main__.run_autograd_prof", "torch");
    [Fact] public void GHSA_86cj_95qr_2p4f_torch_dynamo_GuardBuilder_get() => AdvisoryAssert.Dangerous(Call4("torch._dynamo.guards", "GuardBuilder.get", Payload), "torch._dynamo.guards.GuardBuilder.get", "torch");
    [Fact] public void GHSA_f4x7_rfwp_v3xw_torch_fx_ShapeEnv_evaluate_guards_expression() => AdvisoryAssert.Dangerous(Call4("torch.fx.experimental.symbolic_shapes", "ShapeEnv.evaluate_guards_expression", Payload), "torch.fx.experimental.symbolic_shapes.ShapeEnv.evaluate_guards_expression", "torch");
    [Fact] public void GHSA_f745_w6jp_hpxx_torch_collect_env_run() => AdvisoryAssert.Dangerous(Call4("torch.utils.collect_env", "run", Payload), "torch.utils.collect_env.run", "torch");
    [Fact] public void GHSA_jhph_76pp_mggw_torch_collect_env_run_and_read_all() => AdvisoryAssert.Dangerous(Call4("torch.utils.collect_env", "run_and_read_all", Payload), "torch.utils.collect_env.run_and_read_all", "torch");
    [Fact] public void GHSA_h3qp_7fh3_f8h4_torch_datapipes_decoder_basichandlers() => AdvisoryAssert.Dangerous(Call4("torch.utils.data.datapipes.utils.decoder", "basichandlers", "pickle"), "torch.utils.data.datapipes.utils.decoder.basichandlers", "torch");
    [Fact] public void GHSA_vr7h_p6mm_wpmh_torch_jit_execWrapper() => AdvisoryAssert.Dangerous(Call4("torch.jit.unsupported_tensor_ops", "execWrapper", Payload), "torch.jit.unsupported_tensor_ops.execWrapper", "torch");
    [Fact] public void GHSA_vv6j_3g6g_2pvj_torch_ConfigModule_load_config() => AdvisoryAssert.Dangerous(Call4("torch.utils._config_module", "ConfigModule.load_config", "x"), "torch.utils._config_module.ConfigModule.load_config", "torch");
    [Fact] public void GHSA_5qwp_399c_mjwf_trace_Trace_run() => AdvisoryAssert.Dangerous(Call4("trace", "Trace.run", Payload), "trace.Trace.run");
    [Fact] public void GHSA_g344_hcph_8vgg_trace_Trace_runctx() => AdvisoryAssert.Dangerous(Call4("trace", "Trace.runctx", Payload), "trace.Trace.runctx");
    [Fact] public void GHSA_x696_vm39_cp64_profile_Profile_run() => AdvisoryAssert.Dangerous(Call4("profile", "Profile.run", Payload), "profile.Profile.run");
    [Fact] public void GHSA_6vqj_c2q5_j97w_profile_Profile_runctx() => AdvisoryAssert.Dangerous(Call4("profile", "Profile.runctx", Payload), "profile.Profile.runctx");
    [Fact] public void GHSA_f54q_57x4_jg88_lib2to3_Grammar_loads() => AdvisoryAssert.Dangerous(Call4("lib2to3.pgen2.grammar", "Grammar.loads", "x"), "lib2to3.pgen2.grammar.Grammar.loads");
    [Fact] public void GHSA_p9w7_82w4_7q8m_lib2to3_ParserGenerator_make_label() => AdvisoryAssert.Dangerous(Call4("lib2to3.pgen2.pgen", "ParserGenerator.make_label", "\"\"+" + Payload), "lib2to3.pgen2.pgen.ParserGenerator.make_label");
    [Fact] public void GHSA_3vg9_h568_4w9m_idlelib_ObjectTreeItem_SetText() => AdvisoryAssert.Dangerous(Call4("idlelib.debugobj", "ObjectTreeItem.SetText", Payload), "idlelib.debugobj.ObjectTreeItem.SetText");
    [Fact] public void GHSA_6w4w_5w54_rjvr_idlelib_AutoComplete_get_entity() => AdvisoryAssert.Dangerous(Call4("idlelib.autocomplete", "AutoComplete.get_entity", Payload), "idlelib.autocomplete.AutoComplete.get_entity");
    [Fact] public void GHSA_7cq8_mj8x_j263_idlelib_AutoComplete_fetch_completions() => AdvisoryAssert.Dangerous(Call4("idlelib.autocomplete", "AutoComplete.fetch_completions", Payload), "idlelib.autocomplete.AutoComplete.fetch_completions");
    [Fact] public void GHSA_8r4j_24qv_fmq9_idlelib_Calltip_fetch_tip() => AdvisoryAssert.Dangerous(Call4("idlelib.calltip", "Calltip.fetch_tip", Payload), "idlelib.calltip.Calltip.fetch_tip");
    [Fact] public void GHSA_9xph_j2h6_g47v_idlelib_calltip_get_entity() => AdvisoryAssert.Dangerous(Call4("idlelib.calltip", "get_entity", Payload), "idlelib.calltip.get_entity");
    [Fact] public void GHSA_m869_42cg_3xwr_idlelib_Executive_runcode() => AdvisoryAssert.Dangerous(Call4("idlelib.run", "Executive.runcode", Payload), "idlelib.run.Executive.runcode");
    [Fact] public void GHSA_j343_8v2j_ff7w_idlelib_ModifiedInterpreter_runcommand() => AdvisoryAssert.Dangerous(Call4("idlelib.pyshell", "ModifiedInterpreter.runcommand", Payload), "idlelib.pyshell.ModifiedInterpreter.runcommand");
    [Fact] public void GHSA_3gf5_cxq9_w223_idlelib_ModifiedInterpreter_runcode() => AdvisoryAssert.Dangerous(Call4("idlelib.pyshell", "ModifiedInterpreter.runcode", Payload), "idlelib.pyshell.ModifiedInterpreter.runcode");
    [Fact] public void GHSA_cj3c_v495_4xqh_code_InteractiveInterpreter_runcode() => AdvisoryAssert.Dangerous(Call4("code", "InteractiveInterpreter.runcode", Payload), "code.InteractiveInterpreter.runcode");
    [Fact] public void GHSA_xp4f_hrf8_rxw7_ensurepip_run_pip() => AdvisoryAssert.Dangerous(Call4("ensurepip", "_run_pip", Payload), "ensurepip._run_pip");
    [Fact] public void GHSA_vvpj_8cmc_gx39_pkgutil_resolve_name() => AdvisoryAssert.Dangerous(Call4("pkgutil", "resolve_name", "os:system"), "pkgutil.resolve_name");
    [Fact] public void GHSA_fqq6_7vqf_w3fg_doctest_debug_script() => AdvisoryAssert.Dangerous(Call4("doctest", "debug_script", Payload), "doctest.debug_script");
    [Fact] public void GHSA_9w88_8rmg_7g2p_cProfile_runctx() => AdvisoryAssert.Dangerous(Call4("cProfile", "runctx", Payload), "cProfile.runctx");
    [Fact] public void GHSA_49gj_c84q_6qm9_cProfile_run() => AdvisoryAssert.Dangerous(Call4("cProfile", "run", Payload), "cProfile.run");
    [Fact] public void GHSA_7wx9_6375_f5wh_profile_run() => AdvisoryAssert.Dangerous(Call4("profile", "run", Payload), "profile.run");
    [Fact] public void GHSA_v7x6_rv5q_mhwc_timeit_timeit() => AdvisoryAssert.Dangerous(Call4("timeit", "timeit", Payload), "timeit.timeit");
    [Fact] public void GHSA_q77w_mwjj_7mqx_asyncio_UnixSubprocessTransport_start() => AdvisoryAssert.Dangerous(Call4("asyncio.unix_events", "_UnixSubprocessTransport._start", "whoami"), "asyncio.unix_events._UnixSubprocessTransport._start");
    [Fact] public void GHSA_m273_6v24_x4m4_distutils_file_util_write_file() => AdvisoryAssert.Dangerous(Call4("distutils.file_util", "write_file", "pwned_config.env"), "distutils.file_util.write_file");
    [Fact] public void GHSA_4675_36f9_wf6r_ctypes_CDLL() => AdvisoryAssert.Dangerous(Seq(Proto(4), Sbu("ctypes"), Sbu("CDLL"), StackGlobal, None, Tuple1, Reduce, Stop), "ctypes.CDLL");
    [Fact] public void GHSA_vqmv_47xg_9wpr_pty_spawn() => AdvisoryAssert.Dangerous(Call4("pty", "spawn", "/bin/sh"), "pty.spawn");
    [Fact] public void GHSA_r8g5_cgf2_4m4m_numpy_f2py_getlincoef() => AdvisoryAssert.Dangerous(Call4("numpy.f2py.crackfortran", "getlincoef", Payload), "numpy.f2py.crackfortran.getlincoef", "numpy");
    [Fact] public void GHSA_g38g_8gr9_h9xp_uuid_get_command_stdout() => AdvisoryAssert.Dangerous(Call4("uuid", "_get_command_stdout", "id"), "uuid._get_command_stdout");
    [Fact] public void GHSA_g38g_8gr9_h9xp_osx_support_read_output() => AdvisoryAssert.Dangerous(Call4("_osx_support", "_read_output", "id"), "_osx_support._read_output");
    [Fact] public void GHSA_g38g_8gr9_h9xp_aix_support_read_cmd_output() => AdvisoryAssert.Dangerous(Call4("_aix_support", "_read_cmd_output", "id"), "_aix_support._read_cmd_output");
    [Fact] public void GHSA_g38g_8gr9_h9xp_imaplib_IMAP4_stream() => AdvisoryAssert.Dangerous(Call4("imaplib", "IMAP4_stream", "id"), "imaplib.IMAP4_stream");
    [Fact] public void GHSA_g38g_8gr9_h9xp_pyrepl_pager_pipe_pager() => AdvisoryAssert.Dangerous(Call4("_pyrepl.pager", "pipe_pager", "text", "id"), "_pyrepl.pager.pipe_pager");
    [Fact] public void GHSA_g38g_8gr9_h9xp_test_support_assert_python_ok() => AdvisoryAssert.Dangerous(Call4("test.support.script_helper", "assert_python_ok", "-c pass"), "test.support.script_helper.assert_python_ok");
    [Fact] public void GHSA_9726_w42j_3qjr_io_FileIO() => AdvisoryAssert.Dangerous(Call4("_io", "FileIO", "/etc/hosts", "r"), "_io.FileIO");
    [Fact] public void GHSA_9726_w42j_3qjr_urllib_request_urlopen() => AdvisoryAssert.Dangerous(Call4("urllib.request", "urlopen", "https://example.invalid"), "urllib.request.urlopen");
    [Fact] public void GHSA_m7j5_r2p5_c39r_logging_FileHandler() => AdvisoryAssert.Dangerous(Call4("logging", "FileHandler", "evil.log"), "logging.FileHandler");
    [Fact] public void GHSA_9m3x_qqw2_h32h_types_CodeType() => AdvisoryAssert.Dangerous(Seq(Proto(4), Sbu("types"), Sbu("CodeType"), StackGlobal, EmptyTuple, Reduce, Stop), "types.CodeType");
    [Fact] public void GHSA_9m3x_qqw2_h32h_cloudpickle_make_function() => AdvisoryAssert.Dangerous(Seq(Proto(4), Sbu("cloudpickle.cloudpickle"), Sbu("_make_function"), StackGlobal, EmptyTuple, Reduce, Stop), "cloudpickle.cloudpickle._make_function");

    [Fact]
    public void GHSA_955r_x9j8_7rhh_operator_attrgetter_on_imported_module() =>
        AdvisoryAssert.Dangerous(Seq(Global("operator", "attrgetter"), Mark, String("system"), MarkTuple, Reduce,
            Mark, Global("builtins", "__import__"), Mark, String("os"), MarkTuple, Reduce, MarkTuple, Reduce, Mark, String("id"), MarkTuple, Reduce, Stop), "operator.attrgetter");

    [Fact]
    public void GHSA_46h3_79wf_xr6c_underscore_operator_methodcaller() =>
        AdvisoryAssert.Dangerous(Seq(Global("builtins", "__import__"), Mark, Unicode("os"), MarkTuple, Reduce, Put(0), Pop,
            Global("_operator", "methodcaller"), Mark, Unicode("system"), Unicode("echo pwned"), MarkTuple, Reduce, Mark, Get(0), MarkTuple, Reduce, Stop), "_operator.methodcaller");

    [Fact]
    public void GHSA_84r2_jw7c_4r5q_methodcaller_with_pydoc_locate()
    {
        var pickle = Seq(Proto(4), Sbu("operator"), Sbu("methodcaller"), StackGlobal, Sbu("system"), Sbu("echo pwned"), Tuple2, Reduce,
            Sbu("pydoc"), Sbu("locate"), StackGlobal, Sbu("os"), Tuple1, Reduce, Tuple1, Reduce, Stop);
        AdvisoryAssert.Dangerous(pickle, "operator.methodcaller");
        AdvisoryAssert.Dangerous(pickle, "pydoc.locate");
        AdvisoryAssert.Raises(pickle, PickleRules.ComputedCallable);
    }

    [Fact]
    public void GHSA_97f8_7cmv_76j2_torch_magic_number_from_eval_then_payload_pickle()
    {
        // Legacy torch file: pickle 1 computes the magic number with eval, pickle 3 calls os.system.
        var pickle = Seq(
            Proto(2), Global("builtins", "eval"), BinUnicode("0x1950A86A20F9469CFC6C"), Tuple1, Reduce, Stop,
            Proto(2), BinInt2(1001), Stop,
            Proto(2), Global("posix", "system"), BinUnicode("echo pwned"), Tuple1, Reduce, Stop);
        AdvisoryAssert.Dangerous(pickle, "builtins.eval", "torch");
        AdvisoryAssert.Dangerous(pickle, "posix.system", "torch");
    }
}
