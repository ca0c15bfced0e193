using MestresCafe.Data.Admin;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MestresCafe.Api.Admin;

/// <summary>Typed results of a back-office write, from what an <see cref="IAuditedWriter"/> returned.</summary>
internal static class AdminResults
{
    public static Results<Created<T>, ValidationProblem, ProblemHttpResult> Created<T>((RowChange? Change, IResult? Problem) result, string location)
    {
        if (result.Change?.New is { } row)
        {
            return TypedResults.Created(location + result.Change.Id, row.As<T>());
        }

        return result.Problem switch
        {
            ValidationProblem validation => validation,
            ProblemHttpResult problem => problem,
            _ => Problems.NotFound("Not found."),
        };
    }

    public static Results<Ok<T>, ValidationProblem, ProblemHttpResult> Ok<T>((RowChange? Change, IResult? Problem) result)
    {
        if ((result.Change?.New ?? result.Change?.Old) is { } row)
        {
            return TypedResults.Ok(row.As<T>());
        }

        return result.Problem switch
        {
            ValidationProblem validation => validation,
            ProblemHttpResult problem => problem,
            _ => Problems.NotFound("Not found."),
        };
    }

    public static Results<NoContent, ValidationProblem, ProblemHttpResult> NoContent((RowChange? Change, IResult? Problem) result)
    {
        if (result.Change is not null)
        {
            return TypedResults.NoContent();
        }

        return result.Problem switch
        {
            ValidationProblem validation => validation,
            ProblemHttpResult problem => problem,
            _ => Problems.NotFound("Not found."),
        };
    }
}
