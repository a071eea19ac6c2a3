"""Package list for setuptools (the rest of the metadata is in pyproject.toml).

migrations/ and seeds/ stay at the top of the repository and ship inside the package as
``service.migrations`` and ``service.seeds``; ``service.config`` finds them in either place.
"""

from setuptools import find_namespace_packages, setup

SHIPPED_DIRS = {
    "service.migrations": "migrations",
    "service.migrations.versions": "migrations/versions",
    "service.seeds": "seeds",
}

setup(
    packages=[
        *find_namespace_packages(include=["service", "service.*"], exclude=["*__pycache__*"]),
        *SHIPPED_DIRS,
    ],
    package_dir=SHIPPED_DIRS,
)
