using System.Globalization;
using MestresCafe.Api.Catalog.Admin;
using MestresCafe.Data.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using NpgsqlTypes;
using static MestresCafe.Api.Admin.WriteOutcome;

namespace MestresCafe.Api.Admin;

/// <summary>What DELETE does to a back-office row, and what it answers.</summary>
internal enum Removal
{
    /// <summary>Sets is_active = false; 204.</summary>
    Deactivate,

    /// <summary>Sets is_active = false; 200 with the row.</summary>
    DeactivateShowingRow,

    /// <summary>Deletes the row; 204.</summary>
    Delete,
}

/// <summary>A row that lives under a parent in the route: <c>/{productId:long}/variants</c>, scoped by product_id.</summary>
internal sealed record AdminParent(string Table, string Column, string NotFound);

/// <summary>What a cross-row check sees, inside the write's transaction.</summary>
internal sealed record AdminStep<TInput, TStore>(
    TStore Store, WriteScope Scope, TInput Body, long? ParentId, long? Id, CancellationToken CancellationToken);

/// <summary>
/// One back-office entity over one table: create (POST), change the fields present (PATCH) and
/// deactivate or delete (DELETE), each write and its audit row in one transaction through
/// <typeparamref name="TWriter"/>. Audit actions are <c>{Action}.create</c>, <c>.update</c>,
/// <c>.deactivate</c> or <c>.delete</c>; operation names <c>Create{Name}</c> and so on.
/// </summary>
/// <param name="Route">The collection route within the group (the POST route); items are at Route/{id}.</param>
/// <param name="Location">The Created location prefix; <c>{0}</c> stands for the parent id.</param>
/// <param name="ToColumns">The request's column values (true on create, where a slug defaults to the name's). The
/// request type declares its rules as annotations ([ValidatableType], since these handlers are generic) and
/// marks the fields a create must carry [RequiredOnCreate].</param>
internal sealed record AdminEntity<TInput, TView, TStore>(
    string Name, string Table, string Action, string Route, string Location, Func<TInput, bool, ColumnBuilder> ToColumns, Removal Removal,
    string CreateSummary, string UpdateSummary, string RemoveSummary)
    where TStore : AdminRowStore
{
    /// <summary>Rows under a parent (variants, images of a product); the parent id comes from the route as productId.</summary>
    public AdminParent? Parent { get; init; }

    /// <summary>Columns a create adds that are not fields of the request (the author).</summary>
    public Action<ColumnBuilder, HttpContext>? OnCreate { get; init; }

    /// <summary>Checks (or prepares) before a create or an update writes; a problem rolls everything back.</summary>
    public Func<AdminStep<TInput, TStore>, Task<IResult?>>? Before { get; init; }

    /// <summary>Checks after a create or an update wrote (rules across rows); a problem rolls it back.</summary>
    public Func<AdminStep<TInput, TStore>, Task<IResult?>>? After { get; init; }

    /// <summary>Rows a create writes beside its own, in its transaction (a sellable item's inventory row).</summary>
    public Func<AdminStep<TInput, TStore>, RowChange, Task>? Created { get; init; }
}

internal static class AdminCrud
{
    private static readonly ColumnValue Inactive = new("is_active", false, NpgsqlDbType.Boolean);

    /// <summary>Maps POST, PATCH and DELETE of <paramref name="entity"/> on <paramref name="group"/> (which carries the permission).</summary>
    public static RouteGroupBuilder MapAdminCrud<TInput, TView, TStore, TWriter>(this RouteGroupBuilder group, AdminEntity<TInput, TView, TStore> entity)
        where TStore : AdminRowStore
        where TWriter : IAuditedWriter
    {
        var item = entity.Route.TrimEnd('/') + "/{id:long}";
        var (create, update, remove) = entity.Parent is null
            ? (group.MapPost(entity.Route, (TInput body, HttpContext http, [FromServices] TWriter writer, [FromServices] TStore store) =>
                    CreateAsync(entity, null, body, http, writer, store)),
               group.MapPatch(item, (long id, TInput body, HttpContext http, [FromServices] TWriter writer, [FromServices] TStore store) =>
                    UpdateAsync(entity, null, id, body, http, writer, store)),
               entity.Removal == Removal.DeactivateShowingRow
                    ? group.MapDelete(item, async (long id, HttpContext http, [FromServices] TWriter writer, [FromServices] TStore store) =>
                        AdminResults.Ok<TView>(await RemoveAsync(entity, null, id, http, writer, store)))
                    : group.MapDelete(item, async (long id, HttpContext http, [FromServices] TWriter writer, [FromServices] TStore store) =>
                        AdminResults.NoContent(await RemoveAsync(entity, null, id, http, writer, store))))
            : (group.MapPost(entity.Route, (long productId, TInput body, HttpContext http, [FromServices] TWriter writer, [FromServices] TStore store) =>
                    CreateAsync(entity, productId, body, http, writer, store)),
               group.MapPatch(item, (long productId, long id, TInput body, HttpContext http, [FromServices] TWriter writer, [FromServices] TStore store) =>
                    UpdateAsync(entity, productId, id, body, http, writer, store)),
               group.MapDelete(item, async (long productId, long id, HttpContext http, [FromServices] TWriter writer, [FromServices] TStore store) =>
                    AdminResults.NoContent(await RemoveAsync(entity, productId, id, http, writer, store))));
        create.WithName("Create" + entity.Name).WithSummary(entity.CreateSummary);
        update.WithName("Update" + entity.Name).WithSummary(entity.UpdateSummary);
        remove.WithName((entity.Removal == Removal.Delete ? "Delete" : "Deactivate") + entity.Name).WithSummary(entity.RemoveSummary);
        // Every write goes through the audited writer, whose constraint mapping answers 409 for a
        // unique value in use and 422 for a reference to a missing row (404s come from the route's ids).
        foreach (var write in new[] { create, update, remove })
        {
            write.ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        }

        return group;
    }

    private static async Task<Results<Created<TView>, ValidationProblem, ProblemHttpResult>> CreateAsync<TInput, TView, TStore>(
        AdminEntity<TInput, TView, TStore> entity, long? parentId, TInput body, HttpContext http, IAuditedWriter writer, TStore store)
        where TStore : AdminRowStore
    {
        // The body's annotations were checked before the handler ran; a create also needs its required fields.
        if (CreateRequirements<TInput>.Missing(body) is { Count: > 0 } missing)
        {
            return TypedResults.ValidationProblem(missing);
        }

        var columns = entity.ToColumns(body, true);
        entity.OnCreate?.Invoke(columns, http);
        if (entity.Parent is { } parent)
        {
            columns.Add(parent.Column, parentId!.Value, NpgsqlDbType.Bigint);
        }

        var result = await writer.RunAsync(http, entity.Action + ".create", entity.Table, async (scope, ct) =>
        {
            if (entity.Parent is { } parent && await store.LockAsync(scope, parent.Table, parentId!.Value, null, ct) is null)
            {
                return Fail(Problems.NotFound(parent.NotFound));
            }

            var step = new AdminStep<TInput, TStore>(store, scope, body, parentId, null, ct);
            return await WriteAsync(entity, step, async () =>
            {
                var change = await store.InsertAsync(scope, entity.Table, columns.Columns, ct);
                if (entity.Created is { } created)
                {
                    await created(step, change);
                }

                return change;
            });
        });
        return AdminResults.Created<TView>(result, string.Format(CultureInfo.InvariantCulture, entity.Location, parentId));
    }

    private static async Task<Results<Ok<TView>, ValidationProblem, ProblemHttpResult>> UpdateAsync<TInput, TView, TStore>(
        AdminEntity<TInput, TView, TStore> entity, long? parentId, long id, TInput body, HttpContext http, IAuditedWriter writer, TStore store)
        where TStore : AdminRowStore
    {
        var columns = entity.ToColumns(body, false);
        return AdminResults.Ok<TView>(await writer.RunAsync(http, entity.Action + ".update", entity.Table, (scope, ct) =>
            WriteAsync(entity, new(store, scope, body, parentId, id, ct),
                () => store.UpdateAsync(scope, entity.Table, id, columns.Columns, Scope(entity, parentId), ct))));
    }

    private static Task<(RowChange? Change, IResult? Problem)> RemoveAsync<TInput, TView, TStore>(
        AdminEntity<TInput, TView, TStore> entity, long? parentId, long id, HttpContext http, IAuditedWriter writer, TStore store)
        where TStore : AdminRowStore =>
        writer.RunAsync(http, entity.Action + (entity.Removal == Removal.Delete ? ".delete" : ".deactivate"), entity.Table, async (scope, ct) =>
            Done(entity.Removal == Removal.Delete
                ? await store.DeleteAsync(scope, entity.Table, id, Scope(entity, parentId), ct)
                : await store.UpdateAsync(scope, entity.Table, id, [Inactive], Scope(entity, parentId), ct)));

    /// <summary>The entity's checks around one write: a refusal before it, or a rule across rows after it.</summary>
    private static async Task<WriteOutcome> WriteAsync<TInput, TView, TStore>(
        AdminEntity<TInput, TView, TStore> entity, AdminStep<TInput, TStore> step, Func<Task<RowChange?>> write)
        where TStore : AdminRowStore
    {
        if (entity.Before is { } before && await before(step) is { } refused)
        {
            return Fail(refused);
        }

        var change = await write();
        return change is not null && entity.After is { } after && await after(step) is { } problem ? Fail(problem) : Done(change);
    }

    private static ColumnValue? Scope<TInput, TView, TStore>(AdminEntity<TInput, TView, TStore> entity, long? parentId)
        where TStore : AdminRowStore =>
        entity.Parent is { } parent ? new ColumnValue(parent.Column, parentId!.Value, NpgsqlDbType.Bigint) : null;
}
