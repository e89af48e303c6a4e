using Tomlyn.Model;
using Tomlyn.Serialization;

namespace PickleGuard.Cli.Configuration;

/// <summary>Source-generated TOML metadata: reading the untyped model needs no reflection (NativeAOT).</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext
{
}
