"""API and extraction output Structs. ``resources`` holds the shapes integrators read."""

from service.models.resources import (
    Actor,
    ActorRef,
    Alias,
    Attribution,
    Claim,
    Conflict,
    ConflictValue,
    Event,
    EventActor,
    EventDate,
    Location,
    Name,
    Published,
    Role,
    Source,
    SourceDetail,
    SpanRef,
    SubjectRef,
    Summary,
)

__all__ = [
    "Actor", "ActorRef", "Alias", "Attribution", "Claim", "Conflict", "ConflictValue", "Event",
    "EventActor", "EventDate", "Location", "Name", "Published", "Role", "Source", "SourceDetail",
    "SpanRef", "SubjectRef", "Summary",
]
