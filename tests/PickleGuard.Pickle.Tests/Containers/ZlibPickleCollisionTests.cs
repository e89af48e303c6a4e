using System.IO.Compression;
using System.Text;
using PickleGuard.Core;
using PickleGuard.Pickle.Containers;
using PickleGuard.Pickle.Containers.Formats;

namespace PickleGuard.Pickle.Tests.Containers;

/// <summary>
/// "(S" (MARK, STRING) passes the two-byte zlib header check, so a protocol 0 pickle whose first item is a Python 2
/// str was once opened as corrupt zlib: reported as unscannable and its payload never named.
/// </summary>
public sealed class ZlibPickleCollisionTests
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes("(S'id'\nios\nsystem\n.");

    [Fact]
    public void ProtocolZeroPickleStartingLikeZlibIsSniffedAsPickle() =>
        Assert.Equal(ContainerFormat.Unknown, Magic.Detect(Payload));

    [Fact]
    public void RealZlibStreamStartingWithTheSameBytesIsStillZlib()
    {
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(Payload);
        }

        Assert.Equal(ContainerFormat.Zlib, Magic.Detect(output.ToArray()));
    }

    [Fact]
    public void ExtensionlessCollidingPickleReportsTheDangerousGlobal()
    {
        var scanner = new ArtifactScanner(new PickleScanner(PicklePolicy.Load("plain"), PickleLimits.Default), ContainerLimits.Default);
        var result = scanner.Scan(new MemoryStream(Payload), "payload");

        var finding = Assert.Single(result.Findings, f => f.RuleCode == "PG201");
        Assert.Equal("os.system", finding.Callable);
        Assert.DoesNotContain(result.Findings, f => f.RuleCode == "PG220");
    }

}
