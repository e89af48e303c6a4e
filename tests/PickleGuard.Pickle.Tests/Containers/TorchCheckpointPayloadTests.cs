using System.IO.Compression;
using PickleGuard.Core;
using PickleGuard.Pickle.Containers;

namespace PickleGuard.Pickle.Tests.Containers;

/// <summary>
/// A file identified as a torch checkpoint (legacy magic number, torch.save zip) is judged with what
/// torch.load(weights_only=True) accepts added to the profile (policy/torch-payload.policy); nothing else changes.
/// </summary>
public sealed class TorchCheckpointPayloadTests
{
    [Theory]
    [InlineData("benign/legacy_torch.pt")]
    [InlineData("benign/legacy_torch_weights_only.pt")]
    [InlineData("benign/torch_weights_only.pt")]
    [InlineData("benign/torch_model_zip64.pt")]
    public void ACheckpointOfTensorsIsCleanUnderEveryProfile(string name)
    {
        // allennlp's legacy best.th gave 9 PG208 ('storage' ids) and 2 PG202 (_rebuild_tensor_v2, FloatStorage) under plain.
        foreach (var profile in PicklePolicy.Profiles)
        {
            Assert.Empty(Scanner(profile).Scan(Fixture(name)).Findings);
        }
    }

    [Fact]
    public void TheSamePickleOutsideACheckpointIsStillUnvetted()
    {
        // Only an identified checkpoint gets torch's list: the data.pkl bytes saved as a .pkl are read by anything.
        using var archive = ZipFile.OpenRead(Fixture("benign/torch_weights_only.pt"));
        using var data = archive.GetEntry("archive/data.pkl")!.Open();
        var copy = new MemoryStream();
        data.CopyTo(copy);
        copy.Position = 0;
        var findings = Scanner().Scan(copy, "data.pkl").Findings;
        Assert.Contains(findings, f => f.RuleCode == "PG202" && f.Callable == "torch._utils._rebuild_tensor_v2");
        Assert.Contains(findings, f => f.RuleCode == "PG208");
    }

    [Theory]
    [InlineData("malicious/legacy_torch.pt", "os.system")]
    [InlineData("malicious/legacy_torch_magic_then_exec.pt", "builtins.exec")]
    [InlineData("malicious/torch_data_pkl.pt", "os.system")]
    public void ADangerousGlobalInACheckpointStaysHigh(string name, string callable)
    {
        var findings = Scanner().Scan(Fixture(name)).Findings;
        var high = Assert.Single(findings, f => f.Severity == Severity.High);
        Assert.Equal(("PG201", callable), (high.RuleCode, high.Callable));
        Assert.DoesNotContain(findings, f => f.RuleCode is "PG202" or "PG208");
    }

    [Theory]
    [InlineData("module_class.pt", "PG202", "torch.nn.modules.linear.Linear")]
    [InlineData("module_persistent_id.pt", "PG208", null)]
    [InlineData("module_persistent_id.pt", "PG202", "mymodel.Net")]
    public void WhatTorchsWeightsOnlyListDoesNotHoldStaysReported(string name, string rule, string? callable)
    {
        var findings = Scanner().Scan(UnvettedCheckpoint(name)).Findings;
        Assert.Contains(findings, f => f.RuleCode == rule && f.Callable == callable);
        Assert.DoesNotContain(findings, f => f.Callable is "torch._utils._rebuild_tensor_v2" or "torch.FloatStorage");
    }

    [Fact]
    public void OnlyTheDataPklRecordTorchReadsGetsTheList()
    {
        var findings = Scanner().Scan(UnvettedCheckpoint("extra_pkl_member.pt")).Findings;
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Equal("archive/extra.pkl", f.Location.Member));
        Assert.Contains(findings, f => f.RuleCode == "PG202" && f.Callable == "torch._utils._rebuild_tensor_v2");
    }

    [Fact]
    public void TheLegacyTarFormatKeepsTheProfileAlone()
    {
        // torch.load(weights_only=True) refuses the tar format, so it gives no list for it.
        var unvetted = Scanner().Scan(Fixture("benign/torch_legacy.tar")).Findings.Where(f => f.RuleCode == "PG202").Select(f => f.Callable);
        Assert.Contains("torch.FloatStorage", unvetted);
    }

    private static string Fixture(string name) => Path.Combine(FixturePaths.Containers, name);

    private static string UnvettedCheckpoint(string name) => Path.Combine(FixturePaths.Containers, "..", "torch-checkpoints", name);

    private static ArtifactScanner Scanner(string profile = "plain") =>
        new(new PickleScanner(PicklePolicy.Load(profile), PickleLimits.Default), ContainerLimits.Default);
}
