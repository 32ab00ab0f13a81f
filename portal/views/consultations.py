"""Who has looked at my data (CJEU C-579/21): the dates and purposes of the consultations of
the signed-in person's data, for the data subjects linked to them and no one else."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.identity import linked_subjects
from portal.extract.portal_data import consultations, same_day

PER_PAGE = 100


@require_safe
@never_cache
def my_consultations(request):
    linking = linked_subjects(request.user)
    # Alike entries of one day (a list that showed the person ten times) make one line.
    groups = same_day(consultations([s.pk for s in linking.subjects]))
    page = Paginator(groups, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/consultations.html",
        {"linking": linking, "page": page, "groups": page.object_list},
    )
