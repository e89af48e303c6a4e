using PickleGuard.Core;

namespace PickleGuard.Pickle.Containers;

/// <summary>The rules reported while opening artifact containers, with their full help text.</summary>
public static partial class ContainerRules
{
    private const string TorchLoadDocs = "https://pytorch.org/docs/stable/generated/torch.load.html";
    private const string ZipAppNote = "https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT";
    private const string NullifAi = "https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face";

    private static IReadOnlyList<RuleDescriptor>? all;

    // Built on first use: the descriptors live in another part of this class, whose initialisation order is not defined.
    public static IReadOnlyList<RuleDescriptor> All => all ??=
    [
        Unscannable, DecompressionLimit, ZipHeaderMismatch, NestingDepth, ZipAmbiguousEntries,
        DataOutsideArchive, NotRecognised, ChecksumMismatch, NumpyObjectArray, MemberLimit,
    ];

    /// <summary>The descriptor for <paramref name="code"/>, or null when the code is not a container rule.</summary>
    public static RuleDescriptor? Find(string code)
    {
        foreach (var rule in All)
        {
            if (rule.Code == code)
            {
                return rule;
            }
        }

        return null;
    }
}
