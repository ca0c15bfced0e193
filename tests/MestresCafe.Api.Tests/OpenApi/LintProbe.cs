using System.Text.Json.Nodes;

namespace MestresCafe.Api.Tests.OpenApi;

/// <summary>
/// An operation added to a copy of the document before the lint: a path integer without bounds, a
/// body string without maxLength and a body array without maxItems, each breaking one of the
/// ruleset's request-limit rules and nothing else.
/// </summary>
public static class LintProbe
{
    private const string ProbePath = "/lint-probe/{n}";

    public static readonly string[] ExpectedRules = ["mc-request-array-limit", "mc-request-integer-limit", "mc-request-string-limit"];

    public static bool IsProbe(string findingPath) => findingPath.StartsWith("paths." + ProbePath + ".", StringComparison.Ordinal);

    public static string AddTo(string document)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        root["paths"]![ProbePath] = JsonNode.Parse("""
            {
              "post": {
                "operationId": "LintProbe", "summary": "Probe.", "description": "Probe.", "tags": ["Catalog"], "security": [{}],
                "parameters": [{ "name": "n", "in": "path", "required": true, "schema": { "type": "integer", "format": "int32" } }],
                "requestBody": { "content": { "application/json": { "schema": {
                  "type": "object", "additionalProperties": false,
                  "properties": {
                    "text": { "type": ["null", "string"] },
                    "numbers": { "type": "array", "items": { "type": "integer", "format": "int32", "minimum": 0, "maximum": 1 } }
                  } } } } },
                "responses": {
                  "204": { "description": "Done." },
                  "400": { "$ref": "#/components/responses/Problem400" },
                  "500": { "$ref": "#/components/responses/Problem500" }
                }
              }
            }
            """);
        return root.ToJsonString();
    }
}
