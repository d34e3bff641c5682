"""The dbt project as Dagster sees it (imported by `dagster-dbt project prepare-and-package`)."""

from dagster_dbt import DbtProject

from pipelines.settings import Settings

settings = Settings.from_env()
# prepare-and-package imports this file: exporting here makes dbt parse the same profile that
# runs later use, so partial parsing survives.
settings.export_env()

dbt_project = DbtProject(project_dir=settings.dbt_project_dir)
dbt_project.prepare_if_dev()
