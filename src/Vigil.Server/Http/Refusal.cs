using Microsoft.AspNetCore.Http;

namespace Vigil.Server.Http;

/// <summary>
/// A change that cannot be made, found inside a store transaction: thrown there so nothing of the
/// change commits, and answered as the 404 or 409 it describes.
/// </summary>
internal sealed class Refusal(int status, string detail) : Exception(detail)
{
    public IResult Result => status == StatusCodes.Status404NotFound ? Problems.NotFound(Message) : Problems.Status(status, "Conflict", Message);
}
