namespace MestresCafe.Data.Reporting.Generation;

/// <summary>How much history to generate; the same plan and seed give the same data set.</summary>
public sealed record GenerationPlan(int Customers, int Orders, int Months = 12, int Seed = 1);

public sealed record GenerationResult(int Customers, int Orders, long Items, int Carts);
