using System.Formats.Tar;
using SharpCompress.Archives.SevenZip;

namespace PickleGuard.Pickle.Containers;

public sealed partial class ArtifactScanner
{
    /// <summary>The members of torch's legacy tar format (torch.save before 1.6 with <c>_use_new_zipfile_serialization=False</c>
    /// and a tar-capable pickle module).</summary>
    private static readonly string[] TorchTarMembers = ["sys_info", "pickle", "storages", "tensors"];

    private void ScanTar(ScanContext context, Stream content, ContainerNode node, string? member, int depth)
    {
        node.Format = ContainerFormat.Tar;
        using var reader = new TarReader(content, leaveOpen: true);
        var torchMembers = 0;
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
            {
                continue;
            }

            if (++context.Members > limits.MaxMembers)
            {
                context.ReportOnce(ContainerRuleCodes.MemberLimit, member, null,
                    $"more than {limits.MaxMembers} archive members; the rest are not scanned");
                return;
            }

            var isTorchMember = Array.IndexOf(TorchTarMembers, entry.Name) >= 0;
            if (isTorchMember && ++torchMembers >= 3)
            {
                node.Format = ContainerFormat.TorchTar;
            }

            var path = ScanContext.Join(member, entry.Name);
            var child = node.Add(ContainerFormat.File, entry.Name, content.CanSeek ? content.Position : 0, entry.Length);
            if (entry.DataStream is null)
            {
                child.Format = ContainerFormat.Data;
                continue;
            }

            if (isTorchMember && entry.Name is "storages" or "tensors")
            {
                ScanTorchTarRecords(context, entry.DataStream, child, path, entry.Name == "storages");
                continue;
            }

            ScanContent(context, entry.DataStream, child, path, depth + 1, isTorchMember ? ContentHint.Pickle : MemberHint(entry.Name));
        }
    }

    /// <summary>7z (the nullifAI models): every member is decoded with SharpCompress; what it cannot decode is reported.</summary>
    private void ScanSevenZip(ScanContext context, Stream archive, ContainerNode node, string? member, int depth)
    {
        node.Format = ContainerFormat.SevenZip;
        using var sevenZip = SevenZipArchive.OpenArchive(archive);
        using var reader = sevenZip.ExtractAllEntries();
        while (reader.MoveToNextEntry())
        {
            var entry = reader.Entry;
            if (entry.IsDirectory)
            {
                continue;
            }

            if (++context.Members > limits.MaxMembers)
            {
                context.ReportOnce(ContainerRuleCodes.MemberLimit, member, null,
                    $"more than {limits.MaxMembers} archive members; the rest are not scanned");
                return;
            }

            var name = entry.Key ?? "(unnamed)";
            var path = ScanContext.Join(member, name);
            var child = node.Add(ContainerFormat.File, name, 0, entry.Size);
            if (entry.IsEncrypted)
            {
                child.Note = "encrypted";
                context.Report(ContainerRuleCodes.Unscannable, path, null, "member is encrypted and cannot be scanned");
                continue;
            }

            // Solid archives compress members together, so the ratio is measured against the whole archive.
            using var decoded = new Streams.BudgetedStream("7z", reader.OpenEntryStream(), () => archive.Length, context.Budget, limits);
            ScanContent(context, decoded, child, path, depth + 1, MemberHint(name));
            ReportStreamFault(context, decoded, ContainerFormat.SevenZip, path);
        }
    }
}
