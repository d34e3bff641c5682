{#
    Given a SQL expression holding an agency name, return an expression for its matching key:
    full-width ASCII folded to half-width, all whitespace (incl. U+3000) removed, and
    `人民政府` shortened to `政府`, so that the same agency printed two ways compares equal.
#}
{% macro normalise_agency(expression) -%}
replace(
    regexp_replace(
        translate(
            {{ expression }},
            '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ（）［］，．－',
            '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()[],.-'
        ),
        '[\s\x{3000}\x{00a0}]+', '', 'g'
    ),
    '人民政府', '政府'
)
{%- endmacro %}
