namespace Kmap.Core.Restore;

/// <summary>One partition whose committed offset differs from what a restore of the backup would write.</summary>
public sealed record DriftRow(string Group, string Topic, int Partition, long Expected, long? Current)
{
    public string? Derivation { get; init; }

    /// <summary>The group has members on the cluster: it moves while it consumes, so drift is expected.</summary>
    public bool GroupActive { get; init; }

    /// <summary>Current minus expected (records ahead, negative: behind); null when the cluster has no offset there.</summary>
    public long? Drift => Current is { } c ? c - Expected : null;
}

/// <summary>A group that could not be compared (e.g. its partitions are missing on the cluster), with why.</summary>
public sealed record DriftError(string Group, string Error);

/// <summary>
/// `kmap verify`: a restore plan read as a comparison. Every row the restore would write is compared with the
/// cluster's committed offset; groups active on the cluster are compared too and marked (their drift is expected).
/// </summary>
public sealed record DriftReport(IReadOnlyList<DriftRow> Drifted, IReadOnlyList<DriftError> Errors, IReadOnlyList<GroupResetPlan> ActiveGroups, int Compared, int Groups)
{
    /// <summary>Drift that means something: an inactive group differs, or a group could not be compared.</summary>
    public bool HasUnexpectedDrift => Errors.Count > 0 || Drifted.Any(d => !d.GroupActive);

    /// <summary>Every backed-up group has the backup's offsets: no drift (active or not) and no group left uncompared.</summary>
    public bool Matches => Errors.Count == 0 && Drifted.Count == 0;

    public static DriftReport Compute(ResetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var drifted = new List<DriftRow>();
        var errors = new List<DriftError>();
        var compared = 0;
        foreach (var group in plan.Groups)
        {
            // An active group's plan is refused for writing, but its rows are there to compare.
            var comparable = group.CanApply || (group.IsActive && group.Offsets.Count > 0);
            if (!comparable)
            {
                errors.Add(new DriftError(group.Group, group.Error!));
                continue;
            }
            var ambiguous = group.Offsets.Where(o => o.IsAmbiguous).ToList();
            if (ambiguous.Count > 0)
            {
                // No expected offset: the backed-up time does not say which target record is which.
                errors.Add(new DriftError(group.Group, $"AMBIGUOUS on {string.Join(", ", ambiguous.Select(o => $"{o.Topic}-{o.Partition}"))}: "
                    + $"{ambiguous[0].Ambiguous}; choose --translate offset or --translate timestamp"));
            }
            foreach (var o in group.Offsets.Where(o => o.Write))
            {
                compared++;
                if (o.Current != o.NewOffset)
                {
                    drifted.Add(new DriftRow(group.Group, o.Topic, o.Partition, o.NewOffset, o.Current) { Derivation = o.Derivation, GroupActive = group.IsActive });
                }
            }
        }
        return new DriftReport(drifted, errors, plan.Groups.Where(g => g.IsActive).ToList(), compared, plan.Groups.Count);
    }
}
