using System.CommandLine;
using PickleGuard.Cli.Inspection;
using PickleGuard.Core;
using PickleGuard.Pickle;
using PickleGuard.Pickle.Containers;
using PickleGuard.Reporting;

namespace PickleGuard.Cli.Commands;

/// <summary>
/// <c>pickleguard inspect FILE</c>: what loading an artifact would do — its container layout, the findings, and for each
/// pickle stream the opcode disassembly and a decompiled pseudo-Python view with the findings marked. Nothing is loaded.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(CommandIo io)
    {
        var file = new Argument<string>("FILE") { Description = "The artifact to inspect (pickle, PyTorch checkpoint, joblib, NumPy, archive…)" };
        var profile = new Option<string?>("--profile") { Description = "Artifact allowlist profile: plain, numpy, torch, sklearn, pandas (default: plain)", HelpName = "PROFILE" };
        profile.AcceptOnlyFromAmong([.. PicklePolicy.Profiles]);
        var policy = new Option<string[]>("--policy") { Description = "Extra pickle policy file (repeatable)", HelpName = "FILE" };
        var command = new Command("inspect", "Show what loading an artifact would do: layout, disassembly, decompiled view, findings")
        {
            file, profile, policy,
        };
        command.SetAction(result =>
        {
            var path = Path.GetFullPath(result.GetValue(file)!, io.WorkingDirectory);
            if (!File.Exists(path))
            {
                throw new UsageException($"file '{result.GetValue(file)}' does not exist");
            }
            var policyFiles = (result.GetValue(policy) ?? []).Select(p => Path.GetFullPath(p, io.WorkingDirectory));
            PicklePolicy loaded;
            try
            {
                loaded = PicklePolicy.Load(result.GetValue(profile) ?? "plain", policyFiles);
            }
            catch (PicklePolicyException ex)
            {
                throw new UsageException(ex.Message);
            }
            return Run(io, path, loaded);
        });
        return command;
    }

    private static int Run(CommandIo io, string path, PicklePolicy policy)
    {
        var scanner = new ArtifactScanner(new PickleScanner(policy, PickleLimits.Default), ContainerLimits.Default);
        var result = scanner.Scan(path);
        var context = new ReportContext(ToolVersion.Current, RuleCatalog.All, io.WorkingDirectory) { UseColor = io.Color };
        var shown = context.DisplayPath(path);

        io.Out.WriteLine("Layout:");
        LayoutPrinter.Write(result.Layout, shown, io.Out);
        io.Out.WriteLine();
        io.Out.WriteLine("Findings:");
        TextReporter.Write(new Report(result.Findings, result.Errors, []), context, io.Out);

        foreach (var stream in PickleStreamSource.Find(path, result.Layout))
        {
            var findings = result.Findings.Where(f => f.Location.Member == stream.Member).ToList();
            io.Out.WriteLine();
            io.Out.WriteLine($"Pickle stream {(stream.Member is null ? shown : shown + "!" + stream.Member)}:");
            var bytes = stream.Open(out var problem);
            if (bytes is null)
            {
                io.Out.WriteLine($"  (not shown: {problem})");
                continue;
            }
            io.Out.WriteLine("Disassembly:");
            using (var data = new MemoryStream(bytes, writable: false))
            {
                PickleDisassembler.Write(data, io.Out, findings);
            }
            io.Out.WriteLine();
            io.Out.WriteLine("Decompiled (what loading would do):");
            using (var data = new MemoryStream(bytes, writable: false))
            {
                io.Out.Write(PickleDecompiler.Decompile(data, policy, new Location(path, Member: stream.Member)));
            }
        }
        return result.Findings.Any(f => f.Severity >= Severity.Low) ? ExitCodes.Findings : ExitCodes.Clean;
    }
}
