"""The dbt project as Dagster sees it (imported by `dagster-dbt project prepare-and-package`)."""

from dagster_dbt import DbtProject

from pipelines.settings import Settings

dbt_project = DbtProject(project_dir=Settings.from_env().dbt_project_dir)
dbt_project.prepare_if_dev()
