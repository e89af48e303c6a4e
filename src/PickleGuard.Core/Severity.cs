namespace PickleGuard.Core;

/// <summary>
/// The level of evidence behind a finding, lowest first, so that thresholds compare with &lt;/&gt;.
/// Info: a deserialization module is imported. Low: program-controlled data or a recognised mitigation.
/// Medium: unknown provenance, or an artifact global that is not vetted. High: a proven path from an
/// untrusted source, or a known-dangerous callable in an artifact.
/// </summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
}
